// FindMcAllocator and FindMcClientRequest (see memcheck_calls.h).
#include "vm/memcheck_calls.h"

#include <algorithm>
#include <iterator>
#include <string_view>

namespace wasmgrind {

namespace {

bool AllI32(const std::vector<ValType>& types) {
  return std::all_of(types.begin(), types.end(), [](ValType t) { return t == ValType::I32; });
}

// The name a replaced function is known by: the name section's, else DWARF's, else its
// export's (a module may export its malloc and strip the rest).
const std::string* ReplacedName(const ModuleInfo& module, uint32_t func_index) {
  const std::string* name = module.LinkName(func_index);
  return name != nullptr ? name : module.ExportName(func_index);
}

constexpr McAllocator kAllocators[] = {
#define WG_MC_ALLOCATOR(name, kind, params, result) \
  {name, McAllocatorKind::kind, params, result, 0},
#include "vm/memcheck_allocators.def"
#undef WG_MC_ALLOCATOR
};

}  // namespace

std::string_view McAllocatorName(uint32_t row) {
  return row < std::size(kAllocators) ? kAllocators[row].name : "";
}

std::optional<McAllocator> FindMcAllocator(const ModuleInfo& module, uint32_t func_index) {
  if (func_index < module.num_imported_funcs || module.memories.empty()) return std::nullopt;
  const std::string* name = ReplacedName(module, func_index);
  if (name == nullptr) return std::nullopt;
  for (uint32_t row = 0; row < std::size(kAllocators); ++row) {
    McAllocator a = kAllocators[row];
    if (std::string_view(a.name) != *name) continue;
    const FuncType& type = module.func_type(func_index);
    bool all_i32 = AllI32(type.params);
    bool result_ok = a.has_result ? type.results.size() == 1 && type.results[0] == ValType::I32
                                  : type.results.empty();
    if (type.params.size() != a.num_params || !all_i32 || !result_ok) return std::nullopt;
    a.row = row;
    return a;
  }
  return std::nullopt;
}

std::optional<McClientRequest> FindMcClientRequest(const ModuleInfo& module, uint32_t func_index) {
  struct Row {
    const char* name;
    McClientRequest request;
  };
  static constexpr Row kTable[] = {
#define WASMGRIND_CLIENT_REQUEST(Name, name) {"wasmgrind_client_" #name, McClientRequest::Name},
#include "wasmgrind/memcheck_requests.def"
#undef WASMGRIND_CLIENT_REQUEST
  };
  if (func_index < module.num_imported_funcs || module.memories.empty()) return std::nullopt;
  const std::string* name = ReplacedName(module, func_index);
  if (name == nullptr) return std::nullopt;
  for (const Row& row : kTable) {
    if (std::string_view(row.name) != *name) continue;
    const FuncType& type = module.func_type(func_index);
    if (type.params.size() == kMcClientRequestParams && AllI32(type.params) &&
        type.results.size() == 1 && type.results[0] == ValType::I32) {
      return row.request;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

bool McReturnsDefined(const ModuleInfo& module, uint32_t func_index) {
  return FindMcAllocator(module, func_index) || FindMcClientRequest(module, func_index);
}

}  // namespace wasmgrind
