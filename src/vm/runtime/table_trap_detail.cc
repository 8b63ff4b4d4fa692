// TableTrapDetail (see table_trap_detail.h).
#include "vm/runtime/table_trap_detail.h"

#include <fmt/format.h>

#include "vm/debug/wasm_disassembler.h"
#include "vm/jit/engine.h"
#include "vm/runtime/instance.h"

namespace wasmgrind {
namespace {

// Small indexes read best in decimal; a garbage pointer (0x5a5a5a5a) in hex.
std::string IndexText(uint32_t index) {
  return index < 0x10000 ? std::to_string(index) : fmt::format("{:#x}", index);
}

}  // namespace

std::string TableTrapDetail(const InstanceImpl& instance, TrapKind kind, uint32_t wasm_offset,
                            uint32_t element) {
  const Module& module = *instance.module;
  std::optional<Instr> instr = DecodeInstrAt(module.info(), wasm_offset);
  if (!instr || instr->op != Opcode::CallIndirect || instr->index2 >= instance.tables.size())
    return "";
  Table& table = *instance.tables[instr->index2];
  const VMTableDefinition& def = *table.definition();
  const std::string where = instr->index2 == 0 ? "" : fmt::format(" of table {}", instr->index2);
  switch (kind) {
    case TrapKind::UndefinedElement:
      return fmt::format("call_indirect: table index {} out of bounds{} (table size {})",
                         IndexText(element), where, def.size);
    case TrapKind::UninitializedElement:
      return fmt::format(
          "call_indirect: table index {}{} holds no function (a null entry; table "
          "size {})",
          IndexText(element), where, def.size);
    case TrapKind::IndirectCallTypeMismatch: {
      const std::string expected = module.info().types[instr->index].ToString();
      if (element >= def.size || def.elements[element] == 0) return "";
      const auto* ref = reinterpret_cast<const VMFuncRef*>(def.elements[element]);
      return fmt::format(
          "indirect call type mismatch: call_indirect expects {}, but table index "
          "{}{} holds a function of type {}",
          expected, IndexText(element), where, module.engine().TypeOf(ref->type_id).ToString());
    }
    default: return "";
  }
}

}  // namespace wasmgrind
