// ModuleInfo's lookups for names and custom sections.
#include "vm/module_info.h"

#include <fmt/format.h>

namespace wasmgrind {

std::string ModuleInfo::FunctionName(uint32_t func_index) const {
  auto it = names.functions.find(func_index);
  if (it != names.functions.end()) return it->second;
  return fmt::format("func[{}]", func_index);
}

const std::string* ModuleInfo::LinkName(uint32_t func_index) const {
  if (auto it = names.functions.find(func_index); it != names.functions.end()) return &it->second;
  if (auto it = link_names.find(func_index); it != link_names.end()) return &it->second;
  return nullptr;
}

const std::string* ModuleInfo::ExportName(uint32_t func_index) const {
  for (const Export& e : exports) {
    if (e.kind == ExternKind::Func && e.index == func_index) return &e.name;
  }
  return nullptr;
}

const CustomSection* ModuleInfo::FindCustom(std::string_view name) const {
  for (const CustomSection& custom : customs) {
    if (custom.name == name) return &custom;
  }
  return nullptr;
}

}  // namespace wasmgrind
