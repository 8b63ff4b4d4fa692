// Table instructions. table.size reads the definition inline; the rest call the runtime, which
// bounds-checks and traps (tables may move on grow, so nothing about them is cached).
#include <array>

#include "vm/jit/function_compiler.h"
#include "vm/runtime_calls.h"

namespace wasmgrind::jit {

bool FunctionCompiler::EmitTable(const Instr& instr) {
  using asmjit::TypeId;
  static constexpr TypeId kU32 = TypeId::kUInt32;
  static constexpr TypeId kPtr = TypeId::kUIntPtr;
  auto index_const = [](uint32_t i) { return JitValue::Const(ValType::I32, i); };
  switch (instr.op) {
    case Opcode::TableSize: {
      x86::Gp table = VmctxField(env_.offsets.Table(instr.index));
      x86::Gp size = cc_.newGpd();
      cc_.mov(size, x86::dword_ptr(table, offsetof(VMTableDefinition, size)));
      PushTemp(ValType::I32, size);
      return true;
    }
    case Opcode::TableGet: {
      std::array<JitValue, 2> args = {index_const(instr.index), Pop()};
      std::array<TypeId, 2> types = {kU32, kU32};
      PushTemp(module_.tables[instr.index].elem,
               EmitRuntimeCall(RuntimeCall::TableGet, kPtr, args, types));
      return true;
    }
    case Opcode::TableSet: {
      JitValue value = Pop(), index = Pop();
      std::array<JitValue, 3> args = {index_const(instr.index), index, value};
      std::array<TypeId, 3> types = {kU32, kU32, kPtr};
      EmitRuntimeCall(RuntimeCall::TableSet, TypeId::kVoid, args, types);
      return true;
    }
    case Opcode::TableGrow: {
      JitValue delta = Pop(), init = Pop();
      std::array<JitValue, 3> args = {index_const(instr.index), init, delta};
      std::array<TypeId, 3> types = {kU32, kPtr, kU32};
      PushTemp(ValType::I32, EmitRuntimeCall(RuntimeCall::TableGrow, kU32, args, types));
      return true;
    }
    case Opcode::TableFill: {
      JitValue len = Pop(), value = Pop(), dst = Pop();
      std::array<JitValue, 4> args = {index_const(instr.index), dst, value, len};
      std::array<TypeId, 4> types = {kU32, kU32, kPtr, kU32};
      EmitRuntimeCall(RuntimeCall::TableFill, TypeId::kVoid, args, types);
      return true;
    }
    case Opcode::TableInit: {  // index: elem segment, index2: table
      JitValue len = Pop(), src = Pop(), dst = Pop();
      std::array<JitValue, 5> args = {index_const(instr.index2), index_const(instr.index), dst, src, len};
      std::array<TypeId, 5> types = {kU32, kU32, kU32, kU32, kU32};
      EmitRuntimeCall(RuntimeCall::TableInit, TypeId::kVoid, args, types);
      return true;
    }
    case Opcode::TableCopy: {  // index: destination table, index2: source table
      JitValue len = Pop(), src = Pop(), dst = Pop();
      std::array<JitValue, 5> args = {index_const(instr.index), index_const(instr.index2), dst, src, len};
      std::array<TypeId, 5> types = {kU32, kU32, kU32, kU32, kU32};
      EmitRuntimeCall(RuntimeCall::TableCopy, TypeId::kVoid, args, types);
      return true;
    }
    case Opcode::ElemDrop: {
      std::array<JitValue, 1> args = {index_const(instr.index)};
      std::array<TypeId, 1> types = {kU32};
      EmitRuntimeCall(RuntimeCall::ElemDrop, TypeId::kVoid, args, types);
      return true;
    }
    default:
      return false;
  }
}

}  // namespace wasmgrind::jit
