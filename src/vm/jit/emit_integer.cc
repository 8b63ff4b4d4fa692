// Integer instructions: arithmetic, bitwise, shifts and rotates (x86 masks the count exactly as
// wasm does), compares (lazy conditions), clz/ctz/popcnt (lzcnt/tzcnt/popcnt), sign extensions,
// and division with wasm's traps. Two constant operands fold at compile time.
#include <bit>

#include "vm/jit/function_compiler.h"

namespace wasmgrind::jit {
namespace {

bool FitsImm32(uint64_t bits, bool wide) {
  return !wide || static_cast<int64_t>(bits) == static_cast<int32_t>(bits);
}

x86::Gp Sized(const x86::Reg& r, bool wide) {
  return wide ? x86::Gp(r.as<x86::Gp>().r64()) : x86::Gp(r.as<x86::Gp>().r32());
}

}  // namespace

bool FunctionCompiler::EmitInteger(const Instr& instr) {
  using x86::CondCode;
  namespace Inst = x86::Inst;
  if (FoldIntBinary(instr.op)) return true;
  switch (instr.op) {
    case Opcode::I32Eqz: EmitEqz(false); return true;
    case Opcode::I64Eqz: EmitEqz(true); return true;
    case Opcode::I32Eq: EmitIntCompare(CondCode::kE, false); return true;
    case Opcode::I32Ne: EmitIntCompare(CondCode::kNE, false); return true;
    case Opcode::I32LtS: EmitIntCompare(CondCode::kL, false); return true;
    case Opcode::I32LtU: EmitIntCompare(CondCode::kB, false); return true;
    case Opcode::I32GtS: EmitIntCompare(CondCode::kG, false); return true;
    case Opcode::I32GtU: EmitIntCompare(CondCode::kA, false); return true;
    case Opcode::I32LeS: EmitIntCompare(CondCode::kLE, false); return true;
    case Opcode::I32LeU: EmitIntCompare(CondCode::kBE, false); return true;
    case Opcode::I32GeS: EmitIntCompare(CondCode::kGE, false); return true;
    case Opcode::I32GeU: EmitIntCompare(CondCode::kAE, false); return true;
    case Opcode::I64Eq: EmitIntCompare(CondCode::kE, true); return true;
    case Opcode::I64Ne: EmitIntCompare(CondCode::kNE, true); return true;
    case Opcode::I64LtS: EmitIntCompare(CondCode::kL, true); return true;
    case Opcode::I64LtU: EmitIntCompare(CondCode::kB, true); return true;
    case Opcode::I64GtS: EmitIntCompare(CondCode::kG, true); return true;
    case Opcode::I64GtU: EmitIntCompare(CondCode::kA, true); return true;
    case Opcode::I64LeS: EmitIntCompare(CondCode::kLE, true); return true;
    case Opcode::I64LeU: EmitIntCompare(CondCode::kBE, true); return true;
    case Opcode::I64GeS: EmitIntCompare(CondCode::kGE, true); return true;
    case Opcode::I64GeU: EmitIntCompare(CondCode::kAE, true); return true;

    case Opcode::I32Add: EmitIntBinary(Inst::kIdAdd, false, true); return true;
    case Opcode::I32Sub: EmitIntBinary(Inst::kIdSub, false, false); return true;
    case Opcode::I32Mul: EmitIntBinary(Inst::kIdImul, false, true); return true;
    case Opcode::I32And: EmitIntBinary(Inst::kIdAnd, false, true); return true;
    case Opcode::I32Or: EmitIntBinary(Inst::kIdOr, false, true); return true;
    case Opcode::I32Xor: EmitIntBinary(Inst::kIdXor, false, true); return true;
    case Opcode::I64Add: EmitIntBinary(Inst::kIdAdd, true, true); return true;
    case Opcode::I64Sub: EmitIntBinary(Inst::kIdSub, true, false); return true;
    case Opcode::I64Mul: EmitIntBinary(Inst::kIdImul, true, true); return true;
    case Opcode::I64And: EmitIntBinary(Inst::kIdAnd, true, true); return true;
    case Opcode::I64Or: EmitIntBinary(Inst::kIdOr, true, true); return true;
    case Opcode::I64Xor: EmitIntBinary(Inst::kIdXor, true, true); return true;

    case Opcode::I32Shl: EmitShift(Inst::kIdShl, false); return true;
    case Opcode::I32ShrS: EmitShift(Inst::kIdSar, false); return true;
    case Opcode::I32ShrU: EmitShift(Inst::kIdShr, false); return true;
    case Opcode::I32Rotl: EmitShift(Inst::kIdRol, false); return true;
    case Opcode::I32Rotr: EmitShift(Inst::kIdRor, false); return true;
    case Opcode::I64Shl: EmitShift(Inst::kIdShl, true); return true;
    case Opcode::I64ShrS: EmitShift(Inst::kIdSar, true); return true;
    case Opcode::I64ShrU: EmitShift(Inst::kIdShr, true); return true;
    case Opcode::I64Rotl: EmitShift(Inst::kIdRol, true); return true;
    case Opcode::I64Rotr: EmitShift(Inst::kIdRor, true); return true;

    case Opcode::I32DivS: EmitDivRem(false, true, false); return true;
    case Opcode::I32DivU: EmitDivRem(false, false, false); return true;
    case Opcode::I32RemS: EmitDivRem(false, true, true); return true;
    case Opcode::I32RemU: EmitDivRem(false, false, true); return true;
    case Opcode::I64DivS: EmitDivRem(true, true, false); return true;
    case Opcode::I64DivU: EmitDivRem(true, false, false); return true;
    case Opcode::I64RemS: EmitDivRem(true, true, true); return true;
    case Opcode::I64RemU: EmitDivRem(true, false, true); return true;

    case Opcode::I32Clz:
    case Opcode::I32Ctz:
    case Opcode::I32Popcnt:
    case Opcode::I64Clz:
    case Opcode::I64Ctz:
    case Opcode::I64Popcnt:
    case Opcode::I32Extend8S:
    case Opcode::I32Extend16S:
    case Opcode::I64Extend8S:
    case Opcode::I64Extend16S:
    case Opcode::I64Extend32S: EmitIntUnary(instr.op); return true;
    default: return false;
  }
}

bool FunctionCompiler::FoldIntBinary(Opcode op) {
  if (stack_.size() < 2 || !Top(0).is_const() || !Top(1).is_const()) return false;
  if (Top(0).type != Top(1).type || (Top(0).type != ValType::I32 && Top(0).type != ValType::I64)) {
    return false;
  }
  uint64_t b64 = Top(0).bits, a64 = Top(1).bits;
  auto a32 = static_cast<uint32_t>(a64), b32 = static_cast<uint32_t>(b64);
  auto sa32 = static_cast<int32_t>(a32), sb32 = static_cast<int32_t>(b32);
  auto sa64 = static_cast<int64_t>(a64), sb64 = static_cast<int64_t>(b64);
  uint64_t r;
  ValType t = ValType::I32;
  switch (op) {
    case Opcode::I32Add: r = uint32_t(a32 + b32); break;
    case Opcode::I32Sub: r = uint32_t(a32 - b32); break;
    case Opcode::I32Mul: r = uint32_t(a32 * b32); break;
    case Opcode::I32And: r = a32 & b32; break;
    case Opcode::I32Or: r = a32 | b32; break;
    case Opcode::I32Xor: r = a32 ^ b32; break;
    case Opcode::I32Shl: r = uint32_t(a32 << (b32 & 31)); break;
    case Opcode::I32ShrU: r = a32 >> (b32 & 31); break;
    case Opcode::I32ShrS: r = uint32_t(sa32 >> (b32 & 31)); break;
    case Opcode::I32Rotl: r = std::rotl(a32, int(b32 & 31)); break;
    case Opcode::I32Rotr: r = std::rotr(a32, int(b32 & 31)); break;
    case Opcode::I32Eq: r = a32 == b32; break;
    case Opcode::I32Ne: r = a32 != b32; break;
    case Opcode::I32LtS: r = sa32 < sb32; break;
    case Opcode::I32LtU: r = a32 < b32; break;
    case Opcode::I32GtS: r = sa32 > sb32; break;
    case Opcode::I32GtU: r = a32 > b32; break;
    case Opcode::I32LeS: r = sa32 <= sb32; break;
    case Opcode::I32LeU: r = a32 <= b32; break;
    case Opcode::I32GeS: r = sa32 >= sb32; break;
    case Opcode::I32GeU: r = a32 >= b32; break;
    case Opcode::I64Eq: r = a64 == b64; break;
    case Opcode::I64Ne: r = a64 != b64; break;
    case Opcode::I64LtS: r = sa64 < sb64; break;
    case Opcode::I64LtU: r = a64 < b64; break;
    case Opcode::I64GtS: r = sa64 > sb64; break;
    case Opcode::I64GtU: r = a64 > b64; break;
    case Opcode::I64LeS: r = sa64 <= sb64; break;
    case Opcode::I64LeU: r = a64 <= b64; break;
    case Opcode::I64GeS: r = sa64 >= sb64; break;
    case Opcode::I64GeU: r = a64 >= b64; break;
    default:
      t = ValType::I64;
      switch (op) {
        case Opcode::I64Add: r = a64 + b64; break;
        case Opcode::I64Sub: r = a64 - b64; break;
        case Opcode::I64Mul: r = a64 * b64; break;
        case Opcode::I64And: r = a64 & b64; break;
        case Opcode::I64Or: r = a64 | b64; break;
        case Opcode::I64Xor: r = a64 ^ b64; break;
        case Opcode::I64Shl: r = a64 << (b64 & 63); break;
        case Opcode::I64ShrU: r = a64 >> (b64 & 63); break;
        case Opcode::I64ShrS: r = uint64_t(sa64 >> (b64 & 63)); break;
        case Opcode::I64Rotl: r = std::rotl(a64, int(b64 & 63)); break;
        case Opcode::I64Rotr: r = std::rotr(a64, int(b64 & 63)); break;
        default: return false;
      }
  }
  stack_.pop_back();
  stack_.back() = JitValue::Const(t, r);
  return true;
}

void FunctionCompiler::EmitIntBinary(asmjit::InstId inst, bool wide, bool commutative) {
  JitValue rhs = Pop();
  JitValue lhs = Pop();
  if (commutative && lhs.is_const() && !rhs.is_const()) std::swap(lhs, rhs);
  // Overwrite an operand the stack owns rather than copy a local first.
  if (commutative && !lhs.is_const() && !lhs.is_owned_reg() && rhs.is_owned_reg()) {
    std::swap(lhs, rhs);
  }
  ValType type = wide ? ValType::I64 : ValType::I32;
  if (EmitAddAsLea(inst, lhs, rhs, wide)) return;
  if (inst == x86::Inst::kIdImul && !lhs.is_owned_reg() && rhs.is_const() &&
      FitsImm32(rhs.bits, wide)) {
    // The three-operand imul writes a fresh register: no copy of the local.
    x86::Gp out = Sized(NewValueReg(cc_, type), wide);
    cc_.imul(out, Sized(ToReg(lhs), wide), asmjit::imm(static_cast<int32_t>(rhs.bits)));
    PushTemp(type, out);
    return;
  }
  x86::Gp dst = Sized(TakeReg(lhs), wide);
  if (rhs.is_const() && FitsImm32(rhs.bits, wide)) {
    cc_.emit(inst, dst, asmjit::imm(static_cast<int32_t>(rhs.bits)));
  } else {
    cc_.emit(inst, dst, Sized(ToReg(rhs), wide));
  }
  PushTemp(type, dst);
}

// `a + b` and `a - imm` where `a` is a local that stays live: one lea into a fresh register
// instead of `mov dst, a; add dst, b`. A 32-bit lea over 64-bit registers keeps the low half of
// the sum, which is exactly i32.add's wrap-around (the upper halves do not matter).
bool FunctionCompiler::EmitAddAsLea(asmjit::InstId inst, const JitValue& lhs, const JitValue& rhs,
                                    bool wide) {
  bool is_add = inst == x86::Inst::kIdAdd;
  if ((!is_add && inst != x86::Inst::kIdSub) || lhs.kind != JitValue::Kind::Reg ||
      lhs.is_owned_reg()) {
    return false;
  }
  x86::Gp a = lhs.reg.as<x86::Gp>().r64();
  x86::Mem m;
  if (rhs.is_const()) {
    int64_t v = wide ? static_cast<int64_t>(rhs.bits) : static_cast<int32_t>(rhs.bits);
    if (v <= INT32_MIN || v > INT32_MAX) return false;  // so that -v fits too
    m = x86::ptr(a, static_cast<int32_t>(is_add ? v : -v));
  } else if (is_add && rhs.kind == JitValue::Kind::Reg) {
    m = x86::ptr(a, rhs.reg.as<x86::Gp>().r64());
  } else {
    return false;
  }
  ValType type = wide ? ValType::I64 : ValType::I32;
  x86::Gp dst = Sized(NewValueReg(cc_, type), wide);
  cc_.lea(dst, m);
  PushTemp(type, dst);
  return true;
}

void FunctionCompiler::EmitShift(asmjit::InstId inst, bool wide) {
  JitValue count = Pop();
  JitValue value = Pop();
  ValType type = wide ? ValType::I64 : ValType::I32;
  namespace Inst = x86::Inst;
  bool is_rotate = inst == Inst::kIdRol || inst == Inst::kIdRor;
  // BMI2 forms write a fresh register, so a local's value needs no copy first: shlx/shrx/sarx
  // also take the count in any register (not cl) and mask it like wasm does; rorx rotates by a
  // constant.
  bool bmi2 = asmjit::CpuInfo::host().hasFeature(asmjit::CpuFeatures::X86::kBMI2);
  if (bmi2 && !count.is_const() && !is_rotate) {
    x86::Gp src = Sized(ToReg(value), wide);
    x86::Gp n = Sized(ToReg(count), wide);
    x86::Gp out = Sized(NewValueReg(cc_, type), wide);
    asmjit::InstId id = inst == Inst::kIdShl   ? Inst::kIdShlx
                        : inst == Inst::kIdShr ? Inst::kIdShrx
                                               : Inst::kIdSarx;
    cc_.emit(id, out, src, n);
    PushTemp(type, out);
    return;
  }
  if (bmi2 && count.is_const() && is_rotate && value.kind == JitValue::Kind::Reg &&
      !value.is_owned_reg()) {
    uint32_t bits = wide ? 64 : 32;
    uint32_t n = static_cast<uint32_t>(count.bits) & (bits - 1);
    uint32_t right = inst == Inst::kIdRor ? n : (bits - n) & (bits - 1);
    x86::Gp out = Sized(NewValueReg(cc_, type), wide);
    cc_.rorx(out, Sized(value.reg, wide), asmjit::imm(right));
    PushTemp(type, out);
    return;
  }
  x86::Gp dst = Sized(TakeReg(value), wide);
  if (count.is_const()) {
    cc_.emit(inst, dst, asmjit::imm(static_cast<uint32_t>(count.bits) & (wide ? 63 : 31)));
  } else {
    // The register allocator places the count in cl; the CPU masks it like wasm does.
    cc_.emit(inst, dst, ToGp(count).r8());
  }
  PushTemp(type, dst);
}

void FunctionCompiler::EmitIntCompare(x86::CondCode cond, bool wide) {
  JitValue rhs = Pop();
  JitValue lhs = Pop();
  if (lhs.is_const() && !rhs.is_const()) {
    std::swap(lhs, rhs);
    cond = x86::reverseCond(cond);
  }
  JitValue c;
  c.kind = JitValue::Kind::Cond;
  c.type = ValType::I32;
  c.cond.wide = wide;
  c.cond.cond = cond;
  c.cond.lhs = ToReg(lhs);
  c.cond.lhs_local = lhs.kind == JitValue::Kind::Reg ? lhs.local : kNoLocal;
  if (rhs.is_const() && rhs.bits == 0 &&
      (cond == x86::CondCode::kE || cond == x86::CondCode::kNE)) {
    c.cond.form = Condition::Form::TestInt;
  } else if (rhs.is_const() && FitsImm32(rhs.bits, wide)) {
    c.cond.form = Condition::Form::CmpInt;
    c.cond.rhs_is_imm = true;
    c.cond.imm = static_cast<int32_t>(rhs.bits);
  } else {
    c.cond.form = Condition::Form::CmpInt;
    c.cond.rhs = ToReg(rhs);
    c.cond.rhs_local = rhs.kind == JitValue::Kind::Reg ? rhs.local : kNoLocal;
  }
  alias_floor_ = std::min<uint32_t>(alias_floor_, stack_.size());
  Push(c);
}

void FunctionCompiler::EmitEqz(bool wide) {
  JitValue v = Pop();
  if (v.is_const()) {
    uint64_t bits = wide ? v.bits : static_cast<uint32_t>(v.bits);
    Push(JitValue::Const(ValType::I32, bits == 0 ? 1 : 0));
    return;
  }
  if (v.kind == JitValue::Kind::Cond) {  // eqz of a comparison: the opposite comparison
    v.cond.cond = x86::negateCond(v.cond.cond);
    alias_floor_ = std::min<uint32_t>(alias_floor_, stack_.size());
    Push(v);
    return;
  }
  JitValue c;
  c.kind = JitValue::Kind::Cond;
  c.type = ValType::I32;
  c.cond.form = Condition::Form::TestInt;
  c.cond.wide = wide;
  c.cond.cond = x86::CondCode::kE;
  c.cond.lhs = v.reg;
  c.cond.lhs_local = v.local;
  alias_floor_ = std::min<uint32_t>(alias_floor_, stack_.size());
  Push(c);
}

void FunctionCompiler::EmitDivRem(bool wide, bool is_signed, bool is_rem) {
  JitValue rhs = Pop();
  JitValue lhs = Pop();
  ValType type = wide ? ValType::I64 : ValType::I32;
  uint64_t divisor_bits = wide ? rhs.bits : static_cast<uint32_t>(rhs.bits);
  bool const_divisor = rhs.is_const() && divisor_bits != 0;

  if (const_divisor && !is_signed && std::has_single_bit(divisor_bits)) {
    // Unsigned division by a power of two: a shift or a mask.
    x86::Gp dst = Sized(TakeReg(lhs), wide);
    if (is_rem) {
      uint64_t mask = divisor_bits - 1;
      if (FitsImm32(mask, wide)) {
        cc_.and_(dst, asmjit::imm(static_cast<int32_t>(mask)));
      } else {
        x86::Gp m = cc_.newGpq();
        cc_.mov(m, asmjit::imm(mask));
        cc_.and_(dst, m);
      }
    } else {
      cc_.shr(dst, asmjit::imm(std::countr_zero(divisor_bits)));
    }
    PushTemp(type, dst);
    return;
  }

  x86::Gp divisor = Sized(ToReg(rhs), wide);
  if (!const_divisor) {
    cc_.test(divisor, divisor);
    cc_.jz(TrapStub(TrapKind::IntegerDivideByZero));
  }
  x86::Gp lo = Sized(TakeReg(lhs), wide);
  x86::Gp hi = Sized(NewValueReg(cc_, type), wide);
  asmjit::Label done = cc_.newLabel();
  bool may_be_minus_one =
      is_signed && (!rhs.is_const() || divisor_bits == (wide ? UINT64_MAX : UINT32_MAX));
  if (may_be_minus_one) {
    asmjit::Label divide = cc_.newLabel();
    cc_.cmp(divisor, asmjit::imm(-1));
    cc_.jne(divide);
    if (is_rem) {
      // INT_MIN % -1 is 0 in wasm (idiv would fault); x % -1 is 0 for every x.
      cc_.xor_(hi.r32(), hi.r32());
      cc_.jmp(done);
    } else {
      // INT_MIN / -1 overflows: lo - 1 overflows exactly when lo is INT_MIN.
      cc_.cmp(lo, asmjit::imm(1));
      cc_.jo(TrapStub(TrapKind::IntegerOverflow));
    }
    cc_.bind(divide);
  }
  if (is_signed) {
    if (wide) {
      cc_.cqo(hi, lo);
    } else {
      cc_.cdq(hi, lo);
    }
    cc_.idiv(hi, lo, divisor);
  } else {
    cc_.xor_(hi.r32(), hi.r32());
    cc_.div(hi, lo, divisor);
  }
  cc_.bind(done);
  PushTemp(type, is_rem ? hi : lo);
}

void FunctionCompiler::EmitIntUnary(Opcode op) {
  JitValue v = Pop();
  bool wide = v.type == ValType::I64;
  x86::Gp src = Sized(ToReg(v), wide);
  ValType type = wide ? ValType::I64 : ValType::I32;
  x86::Gp dst = Sized(NewValueReg(cc_, type), wide);
  switch (op) {
    case Opcode::I32Clz:
    case Opcode::I64Clz: cc_.lzcnt(dst, src); break;
    case Opcode::I32Ctz:
    case Opcode::I64Ctz: cc_.tzcnt(dst, src); break;
    case Opcode::I32Popcnt:
    case Opcode::I64Popcnt: cc_.popcnt(dst, src); break;
    case Opcode::I32Extend8S:
    case Opcode::I64Extend8S: cc_.movsx(dst, src.r8()); break;
    case Opcode::I32Extend16S:
    case Opcode::I64Extend16S: cc_.movsx(dst, src.r16()); break;
    case Opcode::I64Extend32S: cc_.movsxd(dst, src.r32()); break;
    default: break;
  }
  PushTemp(type, dst);
}

}  // namespace wasmgrind::jit
