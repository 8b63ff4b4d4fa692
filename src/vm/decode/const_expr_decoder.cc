// Constant expressions: decoded as general instruction sequences up to the matching `end`, so
// that a non-constant instruction decodes and is then rejected by the validator ("constant
// expression required", an invalid module, as the spec has it) rather than as malformed.
#include "vm/decode/instr_decoder.h"
#include "vm/decode/section_decoder.h"

namespace wasmgrind {

Result<ConstExpr> SectionDecoder::ReadConstExpr(std::string_view /*what*/) {
  ConstExpr expr;
  expr.offset = static_cast<uint32_t>(reader_.position());
  std::vector<uint32_t> targets;
  Instr instr;
  uint32_t depth = 0;
  for (;;) {
    TRY(ReadInstr(reader_, module_, instr, targets));
    if (instr.op == Opcode::End) {
      if (depth == 0) break;
      --depth;
    } else if (OpensFrame(instr.op)) {
      ++depth;
    }
    ConstInstr out;
    out.op = instr.op;
    out.bits = instr.bits;
    out.index = instr.index;
    out.type = instr.op == Opcode::RefFunc ? ValType::FuncRef : instr.type;
    expr.instrs.push_back(out);
  }
  return expr;
}

}  // namespace wasmgrind
