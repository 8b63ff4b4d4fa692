// Floating-point instructions with wasm's exact semantics on SSE: NaN-propagating min/max that
// order -0 below +0, roundss/roundsd (SSE4.1) for ceil/floor/trunc/nearest, and abs/neg/
// copysign as pure bit operations (they never touch a NaN's payload). Arithmetic NaNs from
// the hardware are quiet, as the spec requires.
#include <cstring>

#include <utility>

#include "vm/jit/function_compiler.h"

namespace wasmgrind::jit {
namespace {

// 16-byte constant with `lane` repeated (andps/xorps/orps read a whole aligned xmmword).
x86::Mem MaskConst(x86::Compiler& cc, uint64_t lane, bool wide) {
  uint8_t data[16];
  if (wide) {
    std::memcpy(data, &lane, 8);
    std::memcpy(data + 8, &lane, 8);
  } else {
    auto l = static_cast<uint32_t>(lane);
    for (size_t i = 0; i < 4; ++i) std::memcpy(data + 4 * i, &l, 4);
  }
  return cc.newConst(asmjit::ConstPoolScope::kLocal, data, 16);
}

uint64_t SignMask(bool wide) { return wide ? 0x8000000000000000ull : 0x80000000u; }
uint64_t AbsMask(bool wide) { return wide ? 0x7fffffffffffffffull : 0x7fffffffu; }

}  // namespace

bool FunctionCompiler::EmitFloat(const Instr& instr) {
  namespace Inst = x86::Inst;
  switch (instr.op) {
    case Opcode::F32Add: EmitFloatBinary(Inst::kIdAddss, false); return true;
    case Opcode::F32Sub: EmitFloatBinary(Inst::kIdSubss, false); return true;
    case Opcode::F32Mul: EmitFloatBinary(Inst::kIdMulss, false); return true;
    case Opcode::F32Div: EmitFloatBinary(Inst::kIdDivss, false); return true;
    case Opcode::F64Add: EmitFloatBinary(Inst::kIdAddsd, true); return true;
    case Opcode::F64Sub: EmitFloatBinary(Inst::kIdSubsd, true); return true;
    case Opcode::F64Mul: EmitFloatBinary(Inst::kIdMulsd, true); return true;
    case Opcode::F64Div: EmitFloatBinary(Inst::kIdDivsd, true); return true;
    case Opcode::F32Min: EmitMinMax(true, false); return true;
    case Opcode::F32Max: EmitMinMax(false, false); return true;
    case Opcode::F64Min: EmitMinMax(true, true); return true;
    case Opcode::F64Max: EmitMinMax(false, true); return true;
    case Opcode::F32Sqrt:
    case Opcode::F64Sqrt: {
      bool wide = instr.op == Opcode::F64Sqrt;
      x86::Xmm src = ToXmm(Pop());
      x86::Xmm dst = NewValueReg(cc_, wide ? ValType::F64 : ValType::F32).as<x86::Xmm>();
      if (wide) {
        cc_.sqrtsd(dst, src);
      } else {
        cc_.sqrtss(dst, src);
      }
      PushTemp(wide ? ValType::F64 : ValType::F32, dst);
      return true;
    }
    // roundss/roundsd immediates: 8 = suppress precision exception, low bits the rounding mode.
    case Opcode::F32Nearest: EmitRound(false, 0x8); return true;
    case Opcode::F32Floor: EmitRound(false, 0x9); return true;
    case Opcode::F32Ceil: EmitRound(false, 0xA); return true;
    case Opcode::F32Trunc: EmitRound(false, 0xB); return true;
    case Opcode::F64Nearest: EmitRound(true, 0x8); return true;
    case Opcode::F64Floor: EmitRound(true, 0x9); return true;
    case Opcode::F64Ceil: EmitRound(true, 0xA); return true;
    case Opcode::F64Trunc: EmitRound(true, 0xB); return true;
    case Opcode::F32Abs:
    case Opcode::F32Neg:
    case Opcode::F32Copysign: EmitFloatBitOp(instr.op, false); return true;
    case Opcode::F64Abs:
    case Opcode::F64Neg:
    case Opcode::F64Copysign: EmitFloatBitOp(instr.op, true); return true;
    case Opcode::F32Eq:
    case Opcode::F32Ne:
    case Opcode::F32Lt:
    case Opcode::F32Gt:
    case Opcode::F32Le:
    case Opcode::F32Ge: EmitFloatCompare(instr.op, false); return true;
    case Opcode::F64Eq:
    case Opcode::F64Ne:
    case Opcode::F64Lt:
    case Opcode::F64Gt:
    case Opcode::F64Le:
    case Opcode::F64Ge: EmitFloatCompare(instr.op, true); return true;
    default: return false;
  }
}

namespace {

asmjit::InstId VexForm(asmjit::InstId sse) {
  namespace Inst = x86::Inst;
  switch (sse) {
    case Inst::kIdAddss: return Inst::kIdVaddss;
    case Inst::kIdSubss: return Inst::kIdVsubss;
    case Inst::kIdMulss: return Inst::kIdVmulss;
    case Inst::kIdDivss: return Inst::kIdVdivss;
    case Inst::kIdAddsd: return Inst::kIdVaddsd;
    case Inst::kIdSubsd: return Inst::kIdVsubsd;
    case Inst::kIdMulsd: return Inst::kIdVmulsd;
    default: return Inst::kIdVdivsd;
  }
}

}  // namespace

void FunctionCompiler::EmitFloatBinary(asmjit::InstId inst, bool wide) {
  JitValue rhs = Pop();
  JitValue lhs = Pop();
  ValType type = wide ? ValType::F64 : ValType::F32;
  bool commutative = inst == x86::Inst::kIdAddss || inst == x86::Inst::kIdAddsd ||
                     inst == x86::Inst::kIdMulss || inst == x86::Inst::kIdMulsd;
  // Overwrite an operand the stack owns rather than copy a local first. (Swapping changes only
  // which NaN payload comes out when both are NaN, which wasm leaves nondeterministic.)
  if (commutative && !lhs.is_owned_reg() && rhs.is_owned_reg()) std::swap(lhs, rhs);
  if (!lhs.is_owned_reg() && !rhs.is_const() &&
      asmjit::CpuInfo::host().hasFeature(asmjit::CpuFeatures::X86::kAVX)) {
    // AVX's three-operand form writes a fresh register: no copy of the local.
    x86::Xmm out = NewValueReg(cc_, type).as<x86::Xmm>();
    cc_.emit(VexForm(inst), out, ToXmm(lhs), ToXmm(rhs));
    PushTemp(type, out);
    return;
  }
  x86::Xmm dst = TakeXmm(lhs);
  if (rhs.is_const()) {
    // Fold the constant into the instruction as a constant-pool operand.
    x86::Mem c =
        wide ? cc_.newUInt64Const(asmjit::ConstPoolScope::kLocal, rhs.bits)
             : cc_.newUInt32Const(asmjit::ConstPoolScope::kLocal, static_cast<uint32_t>(rhs.bits));
    cc_.emit(inst, dst, c);
  } else {
    cc_.emit(inst, dst, ToXmm(rhs));
  }
  PushTemp(type, dst);
}

void FunctionCompiler::EmitMinMax(bool is_min, bool wide) {
  JitValue rhs = Pop();
  JitValue lhs = Pop();
  ValType type = wide ? ValType::F64 : ValType::F32;
  x86::Xmm dst = TakeXmm(lhs);
  x86::Xmm src = ToXmm(rhs);
  asmjit::Label ordered_unequal = cc_.newLabel();
  asmjit::Label nan = cc_.newLabel();
  asmjit::Label done = cc_.newLabel();
  if (wide) {
    cc_.ucomisd(dst, src);
  } else {
    cc_.ucomiss(dst, src);
  }
  cc_.jne(ordered_unequal);  // ZF=0: ordered and different
  cc_.jp(nan);
  // Equal: only the signs of zeros can differ. min prefers -0 (or), max prefers +0 (and).
  if (is_min) {
    cc_.orps(dst, src);
  } else {
    cc_.andps(dst, src);
  }
  cc_.jmp(done);
  cc_.bind(nan);
  // An operand is NaN: the sum is a quiet NaN carrying a NaN operand's payload.
  if (wide) {
    cc_.addsd(dst, src);
  } else {
    cc_.addss(dst, src);
  }
  cc_.jmp(done);
  cc_.bind(ordered_unequal);
  if (is_min) {
    if (wide)
      cc_.minsd(dst, src);
    else
      cc_.minss(dst, src);
  } else {
    if (wide)
      cc_.maxsd(dst, src);
    else
      cc_.maxss(dst, src);
  }
  cc_.bind(done);
  PushTemp(type, dst);
}

void FunctionCompiler::EmitRound(bool wide, uint32_t mode) {
  x86::Xmm src = ToXmm(Pop());
  ValType type = wide ? ValType::F64 : ValType::F32;
  x86::Xmm dst = NewValueReg(cc_, type).as<x86::Xmm>();
  if (wide) {
    cc_.roundsd(dst, src, asmjit::imm(mode));
  } else {
    cc_.roundss(dst, src, asmjit::imm(mode));
  }
  PushTemp(type, dst);
}

void FunctionCompiler::EmitFloatBitOp(Opcode op, bool wide) {
  ValType type = wide ? ValType::F64 : ValType::F32;
  if (op == Opcode::F32Copysign || op == Opcode::F64Copysign) {
    JitValue sign = Pop();
    JitValue magnitude = Pop();
    x86::Xmm dst = TakeXmm(magnitude);
    cc_.andps(dst, MaskConst(cc_, AbsMask(wide), wide));
    if (sign.is_const()) {
      if ((sign.bits & SignMask(wide)) != 0) cc_.orps(dst, MaskConst(cc_, SignMask(wide), wide));
    } else {
      x86::Xmm s = NewValueReg(cc_, type).as<x86::Xmm>();
      cc_.movaps(s, ToXmm(sign));
      cc_.andps(s, MaskConst(cc_, SignMask(wide), wide));
      cc_.orps(dst, s);
    }
    PushTemp(type, dst);
    return;
  }
  JitValue v = Pop();
  bool is_abs = op == Opcode::F32Abs || op == Opcode::F64Abs;
  if (v.is_const()) {
    Push(JitValue::Const(type, is_abs ? v.bits & AbsMask(wide) : v.bits ^ SignMask(wide)));
    return;
  }
  x86::Xmm dst = TakeXmm(v);
  if (is_abs) {
    cc_.andps(dst, MaskConst(cc_, AbsMask(wide), wide));
  } else {
    cc_.xorps(dst, MaskConst(cc_, SignMask(wide), wide));
  }
  PushTemp(type, dst);
}

void FunctionCompiler::EmitFloatCompare(Opcode op, bool wide) {
  JitValue rhs = Pop();
  JitValue lhs = Pop();
  x86::Xmm a = ToXmm(lhs);
  x86::Xmm b = ToXmm(rhs);
  uint32_t a_local = lhs.kind == JitValue::Kind::Reg ? lhs.local : kNoLocal;
  uint32_t b_local = rhs.kind == JitValue::Kind::Reg ? rhs.local : kNoLocal;
  switch (op) {
    case Opcode::F32Eq:
    case Opcode::F64Eq:
    case Opcode::F32Ne:
    case Opcode::F64Ne: {
      // Equality needs two flags (ZF and PF): materialise directly.
      bool eq = op == Opcode::F32Eq || op == Opcode::F64Eq;
      x86::Gp r = cc_.newGpd();
      x86::Gp p = cc_.newGpd();
      cc_.xor_(r, r);
      cc_.xor_(p, p);
      if (wide)
        cc_.ucomisd(a, b);
      else
        cc_.ucomiss(a, b);
      if (eq) {
        cc_.sete(r.r8());
        cc_.setnp(p.r8());
        cc_.and_(r, p);
      } else {
        cc_.setne(r.r8());
        cc_.setp(p.r8());
        cc_.or_(r, p);
      }
      PushTemp(ValType::I32, r);
      return;
    }
    default: break;
  }
  // a > b and a >= b are "above"/"above or equal" after ucomis a, b, false when unordered;
  // a < b and a <= b are the same with the operands swapped.
  bool swap =
      op == Opcode::F32Lt || op == Opcode::F64Lt || op == Opcode::F32Le || op == Opcode::F64Le;
  bool or_equal =
      op == Opcode::F32Ge || op == Opcode::F64Ge || op == Opcode::F32Le || op == Opcode::F64Le;
  JitValue c;
  c.kind = JitValue::Kind::Cond;
  c.type = ValType::I32;
  c.cond.form = Condition::Form::CmpFloat;
  c.cond.wide = wide;
  c.cond.cond = or_equal ? x86::CondCode::kAE : x86::CondCode::kA;
  c.cond.lhs = swap ? b : a;
  c.cond.rhs = swap ? a : b;
  c.cond.lhs_local = swap ? b_local : a_local;
  c.cond.rhs_local = swap ? a_local : b_local;
  alias_floor_ = std::min<uint32_t>(alias_floor_, stack_.size());
  Push(c);
}

}  // namespace wasmgrind::jit
