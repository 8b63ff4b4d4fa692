// FindCStack (see c_stack.h).
#include "vm/c_stack.h"

#include <algorithm>

namespace wasmgrind {

std::optional<CStackRegion> FindCStack(const ModuleInfo& module) {
  if (module.memories.empty()) return std::nullopt;
  for (const auto& [index, name] : module.names.globals) {
    if (name != "__stack_pointer") continue;
    if (index < module.num_imported_globals || index >= module.globals.size()) return std::nullopt;
    const GlobalType& type = module.globals[index];
    if (type.type != ValType::I32 || !type.is_mutable) return std::nullopt;
    const ConstExpr& init = module.global_inits[index - module.num_imported_globals];
    if (init.instrs.size() != 1 || init.instrs[0].op != Opcode::I32Const) return std::nullopt;
    CStackRegion region;
    region.global_index = index;
    region.top = static_cast<uint32_t>(init.instrs[0].bits);
    for (const DataSegment& data : module.datas) {
      if (data.mode != SegmentMode::Active || data.memory_index != 0) continue;
      if (data.offset.instrs.size() != 1 || data.offset.instrs[0].op != Opcode::I32Const) continue;
      const uint64_t start = static_cast<uint32_t>(data.offset.instrs[0].bits);
      const uint64_t end = start + data.data_size;
      if (end <= region.top) region.bottom = std::max<uint32_t>(region.bottom, static_cast<uint32_t>(end));
    }
    if (region.bottom >= region.top) return std::nullopt;
    return region;
  }
  return std::nullopt;
}

}  // namespace wasmgrind
