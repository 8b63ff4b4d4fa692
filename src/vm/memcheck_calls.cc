// FindMcAllocator (see memcheck_calls.h).
#include "vm/memcheck_calls.h"

#include <algorithm>
#include <string_view>

namespace wasmgrind {

std::optional<McAllocator> FindMcAllocator(const ModuleInfo& module, uint32_t func_index) {
  static constexpr McAllocator kTable[] = {
#define WG_MC_ALLOCATOR(name, kind, params, result) {name, McAllocatorKind::kind, params, result},
#include "vm/memcheck_allocators.def"
#undef WG_MC_ALLOCATOR
  };
  if (func_index < module.num_imported_funcs || module.memories.empty()) return std::nullopt;
  auto name = module.names.functions.find(func_index);
  if (name == module.names.functions.end()) return std::nullopt;
  for (const McAllocator& a : kTable) {
    if (std::string_view(a.name) != name->second) continue;
    const FuncType& type = module.func_type(func_index);
    bool all_i32 = std::all_of(type.params.begin(), type.params.end(),
                               [](ValType t) { return t == ValType::I32; });
    bool result_ok = a.has_result ? type.results.size() == 1 && type.results[0] == ValType::I32
                                  : type.results.empty();
    if (type.params.size() == a.num_params && all_i32 && result_ok) return a;
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace wasmgrind
