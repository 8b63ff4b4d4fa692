// Locals, globals, constants and reference instructions. local.get pushes an alias of the
// local's register (no copy); local.set/tee first turns any alias of the old value into a
// copy (MaterializeAliases). Constants stay lazy until a consumer folds or materialises them.
#include <algorithm>

#include "function_compiler.h"

namespace wasmgrind::jit {
namespace {

x86::Mem GlobalCell(const x86::Gp& cell, ValType t) {
  return x86::ptr(cell, 0, ValTypeSize(t) >= 8 ? 8 : 4);
}

}  // namespace

bool FunctionCompiler::EmitVariable(const Instr& instr, const FunctionValidator&) {
  switch (instr.op) {
    case Opcode::LocalGet: {
      JitValue v = JitValue::Temp(local_types_[instr.index], locals_[instr.index]);
      v.local = instr.index;
      alias_floor_ = std::min<uint32_t>(alias_floor_, stack_.size());
      Push(v);
      return true;
    }
    case Opcode::LocalSet:
      EmitLocalSet(instr.index, /*tee=*/false);
      return true;
    case Opcode::LocalTee:
      EmitLocalSet(instr.index, /*tee=*/true);
      return true;
    case Opcode::GlobalGet: {
      ValType t = module_.globals[instr.index].type;
      x86::Gp cell = VmctxField(env_.offsets.Global(instr.index));
      x86::Reg r = NewValueReg(cc_, t);
      x86::Mem m = GlobalCell(cell, t);
      switch (t) {
        case ValType::I32: cc_.mov(r.as<x86::Gp>().r32(), m); break;
        case ValType::F32: cc_.movss(r.as<x86::Xmm>(), m); break;
        case ValType::F64: cc_.movsd(r.as<x86::Xmm>(), m); break;
        default: cc_.mov(r.as<x86::Gp>().r64(), m); break;
      }
      PushTemp(t, r);
      return true;
    }
    case Opcode::GlobalSet: {
      ValType t = module_.globals[instr.index].type;
      JitValue v = Pop();
      x86::Gp cell = VmctxField(env_.offsets.Global(instr.index));
      x86::Mem m = GlobalCell(cell, t);
      bool imm_ok = v.is_const() && (t == ValType::I32 || t == ValType::F32 ||
                                     static_cast<int64_t>(v.bits) == static_cast<int32_t>(v.bits));
      if (imm_ok) {
        cc_.mov(m, asmjit::imm(static_cast<int32_t>(v.bits)));
        return true;
      }
      x86::Reg r = ToReg(v);
      switch (t) {
        case ValType::I32: cc_.mov(m, r.as<x86::Gp>().r32()); break;
        case ValType::F32: cc_.movss(m, r.as<x86::Xmm>()); break;
        case ValType::F64: cc_.movsd(m, r.as<x86::Xmm>()); break;
        default: cc_.mov(m, r.as<x86::Gp>().r64()); break;
      }
      return true;
    }
    case Opcode::I32Const:
      Push(JitValue::Const(ValType::I32, static_cast<uint32_t>(instr.bits)));
      return true;
    case Opcode::I64Const:
      Push(JitValue::Const(ValType::I64, instr.bits));
      return true;
    case Opcode::F32Const:
      Push(JitValue::Const(ValType::F32, static_cast<uint32_t>(instr.bits)));
      return true;
    case Opcode::F64Const:
      Push(JitValue::Const(ValType::F64, instr.bits));
      return true;
    case Opcode::RefNull:
      Push(JitValue::Const(instr.type, 0));
      return true;
    case Opcode::RefIsNull: {
      JitValue v = Pop();
      if (v.is_const()) {
        Push(JitValue::Const(ValType::I32, v.bits == 0 ? 1 : 0));
        return true;
      }
      JitValue c;
      c.kind = JitValue::Kind::Cond;
      c.type = ValType::I32;
      c.cond.form = Condition::Form::TestInt;
      c.cond.wide = true;
      c.cond.cond = x86::CondCode::kE;
      c.cond.lhs = ToReg(v);
      c.cond.lhs_local = v.kind == JitValue::Kind::Reg ? v.local : kNoLocal;
      alias_floor_ = std::min<uint32_t>(alias_floor_, stack_.size());
      Push(c);
      return true;
    }
    case Opcode::RefFunc:
      PushTemp(ValType::FuncRef, VmctxField(env_.offsets.FuncRef(instr.index)));
      return true;
    default:
      return false;
  }
}

void FunctionCompiler::EmitLocalSet(uint32_t local, bool tee) {
  JitValue v = Pop();
  bool self = v.kind == JitValue::Kind::Reg && v.local == local;
  if (!self) {
    MaterializeAliases(local);
    MoveValue(locals_[local], v);
  }
  if (tee) {
    JitValue alias = JitValue::Temp(local_types_[local], locals_[local]);
    alias.local = local;
    alias_floor_ = std::min<uint32_t>(alias_floor_, stack_.size());
    Push(alias);
  }
}

}  // namespace wasmgrind::jit
