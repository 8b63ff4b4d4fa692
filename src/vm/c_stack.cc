// FindCStack (see c_stack.h).
#include "vm/c_stack.h"

#include <algorithm>
#include <string_view>

namespace wasmgrind {
namespace {

// Whether the producers section names clang (a substring of its payload: the tool names are
// plain strings in it, and a false match needs a tool whose name contains "clang").
bool ProducedByClang(const ModuleInfo& module) {
  const CustomSection* producers = module.FindCustom("producers");
  if (producers == nullptr ||
      static_cast<uint64_t>(producers->data_offset) + producers->data_size > module.bytes.size()) {
    return false;
  }
  const std::string_view payload(
      reinterpret_cast<const char*>(module.bytes.data()) + producers->data_offset,
      producers->data_size);
  return payload.find("clang") != std::string_view::npos;
}

// The stack of global `index` if it can be clang's stack pointer: a defined mutable i32 with a
// constant initial value (the top). The bottom is the highest end of the active data segments
// of memory 0 below the top, or 0. With `strict`, the layout must be wasm-ld's exactly: a top
// aligned to 16 bytes, and no data segment straddling it.
std::optional<CStackRegion> StackOfGlobal(const ModuleInfo& module, uint32_t index, bool strict,
                                          uint32_t data_end) {
  if (index < module.num_imported_globals || index >= module.globals.size()) return std::nullopt;
  const GlobalType& type = module.globals[index];
  if (type.type != ValType::I32 || !type.is_mutable) return std::nullopt;
  const ConstExpr& init = module.global_inits[index - module.num_imported_globals];
  if (init.instrs.size() != 1 || init.instrs[0].op != Opcode::I32Const) return std::nullopt;
  CStackRegion region;
  region.global_index = index;
  region.top = static_cast<uint32_t>(init.instrs[0].bits);
  if (strict && region.top % 16 != 0) return std::nullopt;
  for (const DataSegment& data : module.datas) {
    if (data.mode != SegmentMode::Active || data.memory_index != 0) continue;
    if (data.offset.instrs.size() != 1 || data.offset.instrs[0].op != Opcode::I32Const) continue;
    const uint64_t start = static_cast<uint32_t>(data.offset.instrs[0].bits);
    const uint64_t end = start + data.data_size;
    if (end <= region.top) {
      region.bottom = std::max<uint32_t>(region.bottom, static_cast<uint32_t>(end));
    } else if (strict && start < region.top) {
      return std::nullopt;
    }
  }
  if (region.bottom >= region.top) return std::nullopt;
  const uint64_t aligned_end = (uint64_t{data_end} + 15) & ~uint64_t{15};
  if (data_end > region.bottom && aligned_end < region.top) {
    region.bottom = static_cast<uint32_t>(aligned_end);
  }
  return region;
}

}  // namespace

std::optional<CStackRegion> FindCStack(const ModuleInfo& module, uint32_t data_end) {
  if (module.memories.empty()) return std::nullopt;
  for (const auto& [index, name] : module.names.globals) {
    if (name == "__stack_pointer") return StackOfGlobal(module, index, /*strict=*/false, data_end);
  }
  // Named globals, none of them the stack pointer: not clang's, or no C stack.
  if (!module.names.globals.empty()) return std::nullopt;
  // No global names (binaryen's wasm-opt drops the name section when clang runs it at link
  // time): a module clang produced has, if any, wasm-ld's __stack_pointer as its first global
  // (wasm-ld defines it before every other), laid out as wasm-ld lays it out.
  if (!ProducedByClang(module)) return std::nullopt;
  return StackOfGlobal(module, module.num_imported_globals, /*strict=*/true, data_end);
}

}  // namespace wasmgrind
