// FindLibcReplacement: which module functions are the libc functions of libc_replacements.def.
// A lookup in the module's names and types only; the replacements themselves are the runtime's
// (runtime/native_libc.cc), which JIT code reaches through the runtime-call table.
#include "vm/libc_replacements.h"

#include <algorithm>
#include <iterator>

#include "vm/runtime_calls.h"

namespace wasmgrind {

std::optional<LibcReplacement> FindLibcReplacement(const ModuleInfo& module, uint32_t func_index) {
  struct Row {
    std::string_view name;
    uint32_t num_params;
  };
  static constexpr Row kRows[] = {
#define WG_LIBC_REPLACEMENT(symbol, impl, n) {#symbol, n},
#include "vm/libc_replacements.def"
#undef WG_LIBC_REPLACEMENT
  };
  static_assert(std::size(kRows) == kNumLibcReplacements);
  if (func_index < module.num_imported_funcs || module.memories.empty()) return std::nullopt;
  const std::string* name = module.LinkName(func_index);
  if (name == nullptr) return std::nullopt;
  for (uint32_t row = 0; row < std::size(kRows); ++row) {
    if (kRows[row].name != *name) continue;
    const FuncType& type = module.func_type(func_index);
    bool all_i32 = std::all_of(type.params.begin(), type.params.end(),
                               [](ValType t) { return t == ValType::I32; });
    if (type.params.size() == kRows[row].num_params && all_i32 && type.results.size() == 1 &&
        type.results[0] == ValType::I32) {
      return LibcReplacement{kRows[row].name, kRows[row].num_params, row};
    }
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace wasmgrind
