// ModuleInfo's lookups for names and custom sections.
#include "vm/module_info.h"

#include <fmt/format.h>

namespace wasmgrind {

std::string ModuleInfo::FunctionName(uint32_t func_index) const {
  auto it = names.functions.find(func_index);
  if (it != names.functions.end()) return it->second;
  return fmt::format("func[{}]", func_index);
}

const CustomSection* ModuleInfo::FindCustom(std::string_view name) const {
  for (const CustomSection& custom : customs) {
    if (custom.name == name) return &custom;
  }
  return nullptr;
}

}  // namespace wasmgrind
