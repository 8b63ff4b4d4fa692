// FunctionValidator, the instructions typed by hand rather than from a signature string:
// parametric (drop, select), variables (locals, globals), memory (alignment, memory and data indices),
// references and tables. Instructions here that also have a signature (memory.init, table.copy,
// loads, ...) check their indices first and then defer to ValidateSignature.
#include <fmt/format.h>

#include "vm/decode/function_validator.h"

namespace wasmgrind {

namespace {
bool IsNumOrUnknown(ValType t) { return IsNumType(t) || t == FunctionValidator::kUnknownType; }
bool IsRefOrUnknown(ValType t) { return IsRefType(t) || t == FunctionValidator::kUnknownType; }
}  // namespace

Result<void> FunctionValidator::ValidateParametric(const Instr& instr) {
  switch (instr.op) {
    case Opcode::Drop: TRY(Pop()); return Ok();
    case Opcode::Select: {
      TRY(Pop(ValType::I32));
      TRY_ASSIGN(ValType t1, Pop());
      TRY_ASSIGN(ValType t2, Pop());
      // Untyped select only works on numeric (and vector) types.
      if (!IsNumOrUnknown(t1) || !IsNumOrUnknown(t2)) {
        return Fail(instr, "type mismatch: select without a type needs numeric operands");
      }
      if (t1 != t2 && t1 != kUnknownType && t2 != kUnknownType) {
        return Fail(instr, fmt::format("type mismatch: select operands are {} and {}",
                                       ValTypeName(t2), ValTypeName(t1)));
      }
      operands_.push_back(t1 == kUnknownType ? t2 : t1);
      return Ok();
    }
    case Opcode::SelectT: {
      if (instr.index != 1) return Fail(instr, "invalid result arity");
      TRY(Pop(ValType::I32));
      TRY(Pop(instr.type));
      TRY(Pop(instr.type));
      operands_.push_back(instr.type);
      return Ok();
    }
    default: return Error::Make(ErrorKind::Internal, "not a parametric instruction", instr.offset);
  }
}

Result<void> FunctionValidator::ValidateVariable(const Instr& instr) {
  switch (instr.op) {
    case Opcode::LocalGet:
    case Opcode::LocalSet:
    case Opcode::LocalTee: {
      if (instr.index >= locals_.size())
        return Fail(instr, fmt::format("unknown local {}", instr.index));
      const ValType t = locals_[instr.index];
      if (instr.op != Opcode::LocalGet) TRY(Pop(t));
      if (instr.op != Opcode::LocalSet) operands_.push_back(t);
      return Ok();
    }
    case Opcode::GlobalGet:
    case Opcode::GlobalSet: {
      if (instr.index >= module_.globals.size()) {
        return Fail(instr, fmt::format("unknown global {}", instr.index));
      }
      const GlobalType& global = module_.globals[instr.index];
      if (instr.op == Opcode::GlobalGet) {
        operands_.push_back(global.type);
        return Ok();
      }
      if (!global.is_mutable)
        return Fail(instr, fmt::format("global is immutable: global {}", instr.index));
      TRY(Pop(global.type));
      return Ok();
    }
    default: return Error::Make(ErrorKind::Internal, "not a variable instruction", instr.offset);
  }
}

Result<void> FunctionValidator::ValidateMemory(const Instr& instr) {
  const Opcode op = instr.op;
  const uint32_t memory = Info(op).imm == ImmKind::MemArg ? instr.mem.memory : 0;
  if (op != Opcode::DataDrop && memory >= module_.memories.size()) {
    return Fail(instr, fmt::format("unknown memory {}", memory));
  }
  if (Info(op).imm == ImmKind::MemArg) {
    const uint32_t natural = Info(op).access_bytes;
    if (instr.mem.align_log2 >= 32 || (uint64_t{1} << instr.mem.align_log2) > natural) {
      return Fail(
          instr, fmt::format("alignment must not be larger than natural ({} > {})",
                             instr.mem.align_log2 >= 32 ? 0 : (uint64_t{1} << instr.mem.align_log2),
                             natural));
    }
  }
  if (op == Opcode::MemoryInit || op == Opcode::DataDrop) {
    // The decoder already required the data count section for these.
    const uint32_t count = module_.data_count.value_or(0);
    if (instr.index >= count)
      return Fail(instr, fmt::format("unknown data segment {}", instr.index));
  }
  return ValidateSignature(instr);
}

Result<void> FunctionValidator::ValidateReference(const Instr& instr) {
  switch (instr.op) {
    case Opcode::RefNull: operands_.push_back(instr.type); return Ok();
    case Opcode::RefIsNull: {
      TRY_ASSIGN(ValType t, Pop());
      if (!IsRefOrUnknown(t)) {
        return Fail(instr, fmt::format("type mismatch: ref.is_null needs a reference, got {}",
                                       ValTypeName(t)));
      }
      operands_.push_back(ValType::I32);
      return Ok();
    }
    case Opcode::RefFunc: {
      if (instr.index >= module_.func_types.size()) {
        return Fail(instr, fmt::format("unknown function {}", instr.index));
      }
      if (instr.index >= module_.declared_funcs.size() || !module_.declared_funcs[instr.index]) {
        return Fail(instr, fmt::format("undeclared function reference {}", instr.index));
      }
      operands_.push_back(ValType::FuncRef);
      return Ok();
    }
    default: return Error::Make(ErrorKind::Internal, "not a reference instruction", instr.offset);
  }
}

Result<void> FunctionValidator::ValidateTable(const Instr& instr) {
  const auto table_type = [&](uint32_t index) -> Result<ValType> {
    if (index >= module_.tables.size()) return Fail(instr, fmt::format("unknown table {}", index));
    return module_.tables[index].elem;
  };
  const auto elem_type = [&](uint32_t index) -> Result<ValType> {
    if (index >= module_.elements.size())
      return Fail(instr, fmt::format("unknown elem segment {}", index));
    return module_.elements[index].type;
  };
  switch (instr.op) {
    case Opcode::TableGet: {
      TRY_ASSIGN(ValType t, table_type(instr.index));
      TRY(Pop(ValType::I32));
      operands_.push_back(t);
      return Ok();
    }
    case Opcode::TableSet: {
      TRY_ASSIGN(ValType t, table_type(instr.index));
      TRY(Pop(t));
      TRY(Pop(ValType::I32));
      return Ok();
    }
    case Opcode::TableSize:
      TRY(table_type(instr.index));
      operands_.push_back(ValType::I32);
      return Ok();
    case Opcode::TableGrow: {
      TRY_ASSIGN(ValType t, table_type(instr.index));
      TRY(Pop(ValType::I32));
      TRY(Pop(t));
      operands_.push_back(ValType::I32);
      return Ok();
    }
    case Opcode::TableFill: {
      TRY_ASSIGN(ValType t, table_type(instr.index));
      TRY(Pop(ValType::I32));
      TRY(Pop(t));
      TRY(Pop(ValType::I32));
      return Ok();
    }
    case Opcode::TableCopy: {
      TRY_ASSIGN(ValType dst, table_type(instr.index));
      TRY_ASSIGN(ValType src, table_type(instr.index2));
      if (dst != src)
        return Fail(instr, "type mismatch: table.copy between tables of different types");
      return ValidateSignature(instr);
    }
    case Opcode::TableInit: {
      TRY_ASSIGN(ValType table, table_type(instr.index2));
      TRY_ASSIGN(ValType elem, elem_type(instr.index));
      if (table != elem)
        return Fail(instr, "type mismatch: table.init segment and table types differ");
      return ValidateSignature(instr);
    }
    case Opcode::ElemDrop: TRY(elem_type(instr.index)); return Ok();
    default: return Error::Make(ErrorKind::Internal, "not a table instruction", instr.offset);
  }
}

}  // namespace wasmgrind
