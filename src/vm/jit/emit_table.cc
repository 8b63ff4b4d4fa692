// Table instructions. table.size reads the definition inline; the rest call the runtime, which
// bounds-checks and traps (tables may move on grow, so nothing about them is cached).
#include "vm/jit/function_compiler.h"
#include "vm/runtime_calls.h"

namespace wasmgrind::jit {

bool FunctionCompiler::EmitTable(const Instr& instr) {
  auto index_const = [](uint32_t i) { return JitValue::Const(ValType::I32, i); };
  switch (instr.op) {
    case Opcode::TableSize: {
      x86::Gp table = VmctxField(env_.offsets.Table(instr.index));
      x86::Gp size = cc_.newGpd();
      cc_.mov(size, x86::dword_ptr(table, offsetof(VMTableDefinition, size)));
      PushTemp(ValType::I32, size);
      return true;
    }
    case Opcode::TableGet:
      PushTemp(module_.tables[instr.index].elem,
               EmitRuntimeCall<RuntimeCall::TableGet>({index_const(instr.index), Pop()}));
      return true;
    case Opcode::TableSet: {
      JitValue value = Pop(), index = Pop();
      EmitRuntimeCall<RuntimeCall::TableSet>({index_const(instr.index), index, value});
      return true;
    }
    case Opcode::TableGrow: {
      JitValue delta = Pop(), init = Pop();
      PushTemp(ValType::I32,
               EmitRuntimeCall<RuntimeCall::TableGrow>({index_const(instr.index), init, delta}));
      return true;
    }
    case Opcode::TableFill: {
      JitValue len = Pop(), value = Pop(), dst = Pop();
      EmitRuntimeCall<RuntimeCall::TableFill>({index_const(instr.index), dst, value, len});
      return true;
    }
    case Opcode::TableInit: {  // index: elem segment, index2: table
      JitValue len = Pop(), src = Pop(), dst = Pop();
      EmitRuntimeCall<RuntimeCall::TableInit>(
          {index_const(instr.index2), index_const(instr.index), dst, src, len});
      return true;
    }
    case Opcode::TableCopy: {  // index: destination table, index2: source table
      JitValue len = Pop(), src = Pop(), dst = Pop();
      EmitRuntimeCall<RuntimeCall::TableCopy>(
          {index_const(instr.index), index_const(instr.index2), dst, src, len});
      return true;
    }
    case Opcode::ElemDrop:
      EmitRuntimeCall<RuntimeCall::ElemDrop>({index_const(instr.index)});
      return true;
    default: return false;
  }
}

}  // namespace wasmgrind::jit
