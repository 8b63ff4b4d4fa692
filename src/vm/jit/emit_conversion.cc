// Conversions: wrap/extend, float <-> int (trapping and saturating truncations, unsigned
// conversions both ways, u64 -> float correctly rounded), demote/promote, reinterpret.
//
// cvtts*2si returns the "integer indefinite" value (INT_MIN of the width) for NaN and out-of-range
// inputs; the fast path checks for it and the rare cases are sorted out in out-of-line code.
#include "vm/jit/function_compiler.h"

namespace wasmgrind::jit {
namespace {

// Constant-pool operand holding `value` as an f32 or f64.
x86::Mem FloatConst(x86::Compiler& cc, double value, bool wide) {
  if (wide) return cc.newDoubleConst(asmjit::ConstPoolScope::kLocal, value);
  return cc.newFloatConst(asmjit::ConstPoolScope::kLocal, static_cast<float>(value));
}

}  // namespace

bool FunctionCompiler::EmitConversion(const Instr& instr) {
  switch (instr.op) {
    case Opcode::I32WrapI64: {
      JitValue v = Pop();
      if (v.is_const()) {
        Push(JitValue::Const(ValType::I32, static_cast<uint32_t>(v.bits)));
        return true;
      }
      PushTemp(ValType::I32, ZeroExtend32(ToGp(v)));
      return true;
    }
    case Opcode::I64ExtendI32S:
    case Opcode::I64ExtendI32U: {
      bool is_signed = instr.op == Opcode::I64ExtendI32S;
      JitValue v = Pop();
      if (v.is_const()) {
        auto low = static_cast<uint32_t>(v.bits);
        Push(JitValue::Const(ValType::I64, is_signed ? static_cast<uint64_t>(static_cast<int64_t>(
                                                           static_cast<int32_t>(low)))
                                                     : low));
        return true;
      }
      x86::Gp src = ToGp(v);
      x86::Gp d = cc_.newGpq();
      if (is_signed) {
        cc_.movsxd(d, src.r32());
      } else {
        // The move may be deleted (d then shares src's register): correct because src's upper
        // half is already zero, which the verifier checks.
        VerifyUpperHalfZero(src);
        cc_.mov(d.r32(), src.r32());
      }
      PushTemp(ValType::I64, d);
      return true;
    }
    case Opcode::I32TruncF32S: EmitTrunc(false, false, true, /*saturating=*/false); return true;
    case Opcode::I32TruncF32U: EmitTrunc(false, false, false, /*saturating=*/false); return true;
    case Opcode::I32TruncF64S: EmitTrunc(false, true, true, /*saturating=*/false); return true;
    case Opcode::I32TruncF64U: EmitTrunc(false, true, false, /*saturating=*/false); return true;
    case Opcode::I64TruncF32S: EmitTrunc(true, false, true, /*saturating=*/false); return true;
    case Opcode::I64TruncF32U: EmitTrunc(true, false, false, /*saturating=*/false); return true;
    case Opcode::I64TruncF64S: EmitTrunc(true, true, true, /*saturating=*/false); return true;
    case Opcode::I64TruncF64U: EmitTrunc(true, true, false, /*saturating=*/false); return true;
    case Opcode::I32TruncSatF32S: EmitTrunc(false, false, true, /*saturating=*/true); return true;
    case Opcode::I32TruncSatF32U: EmitTrunc(false, false, false, /*saturating=*/true); return true;
    case Opcode::I32TruncSatF64S: EmitTrunc(false, true, true, /*saturating=*/true); return true;
    case Opcode::I32TruncSatF64U: EmitTrunc(false, true, false, /*saturating=*/true); return true;
    case Opcode::I64TruncSatF32S: EmitTrunc(true, false, true, /*saturating=*/true); return true;
    case Opcode::I64TruncSatF32U: EmitTrunc(true, false, false, /*saturating=*/true); return true;
    case Opcode::I64TruncSatF64S: EmitTrunc(true, true, true, /*saturating=*/true); return true;
    case Opcode::I64TruncSatF64U: EmitTrunc(true, true, false, /*saturating=*/true); return true;
    case Opcode::F32ConvertI32S: EmitConvertInt(false, false, true); return true;
    case Opcode::F32ConvertI32U: EmitConvertInt(false, false, false); return true;
    case Opcode::F32ConvertI64S: EmitConvertInt(false, true, true); return true;
    case Opcode::F32ConvertI64U: EmitConvertInt(false, true, false); return true;
    case Opcode::F64ConvertI32S: EmitConvertInt(true, false, true); return true;
    case Opcode::F64ConvertI32U: EmitConvertInt(true, false, false); return true;
    case Opcode::F64ConvertI64S: EmitConvertInt(true, true, true); return true;
    case Opcode::F64ConvertI64U: EmitConvertInt(true, true, false); return true;
    case Opcode::F32DemoteF64: {
      x86::Xmm src = ToXmm(Pop());
      x86::Xmm d = cc_.newXmmSs();
      cc_.cvtsd2ss(d, src);
      PushTemp(ValType::F32, d);
      return true;
    }
    case Opcode::F64PromoteF32: {
      x86::Xmm src = ToXmm(Pop());
      x86::Xmm d = cc_.newXmmSd();
      cc_.cvtss2sd(d, src);
      PushTemp(ValType::F64, d);
      return true;
    }
    case Opcode::I32ReinterpretF32:
    case Opcode::I64ReinterpretF64:
    case Opcode::F32ReinterpretI32:
    case Opcode::F64ReinterpretI64: {
      ValType to = SigLetterType(Info(instr.op).signature.back());
      JitValue v = Pop();
      if (v.is_const()) {
        Push(JitValue::Const(to, v.bits));
        return true;
      }
      x86::Reg src = ToReg(v);
      x86::Reg d = NewValueReg(cc_, to);
      switch (instr.op) {
        // xmm -> gp uses pextrd/pextrq rather than movd/movq: when asmjit's allocator spills
        // the xmm source it rewrites movd/movq into a memory form that it encodes as the MMX
        // `movq mm, m64` (loading into mm0, not the gp register). pextr* has no memory form
        // for its source, so the allocator reloads the value instead.
        case Opcode::I32ReinterpretF32:
          cc_.pextrd(d.as<x86::Gp>().r32(), src.as<x86::Xmm>(), 0);
          break;
        case Opcode::I64ReinterpretF64:
          cc_.pextrq(d.as<x86::Gp>().r64(), src.as<x86::Xmm>(), 0);
          break;
        case Opcode::F32ReinterpretI32: cc_.movd(d.as<x86::Xmm>(), src.as<x86::Gp>().r32()); break;
        default: cc_.movq(d.as<x86::Xmm>(), src.as<x86::Gp>().r64()); break;
      }
      PushTemp(to, d);
      return true;
    }
    default: return false;
  }
}

// Float -> integer truncation. The fast path is the same for the trapping and the saturating
// forms: cvtt* and one check that the result is certainly in range. What differs is only the
// out-of-line slow path: trap (NaN -> InvalidConversion, out of range -> IntegerOverflow) or
// saturate (NaN -> 0, below -> MIN, above -> MAX).
void FunctionCompiler::EmitTrunc(bool to64, bool from64, bool is_signed, bool saturating) {
  x86::Xmm x = ToXmm(Pop());
  auto ucomis = [this, from64](const x86::Xmm& a, const asmjit::Operand& b) {
    cc_.emit(from64 ? x86::Inst::kIdUcomisd : x86::Inst::kIdUcomiss, a, b);
  };
  auto cvtt = [this, from64](const x86::Gp& dst, const x86::Xmm& src) {
    cc_.emit(from64 ? x86::Inst::kIdCvttsd2si : x86::Inst::kIdCvttss2si, dst, src);
  };
  ValType type = to64 ? ValType::I64 : ValType::I32;
  uint32_t offset = current_offset_;
  asmjit::Label slow = cc_.newLabel();
  asmjit::Label done = cc_.newLabel();

  if (is_signed) {
    x86::Gp r = to64 ? x86::Gp(cc_.newGpq()) : x86::Gp(cc_.newGpd());
    cvtt(r, x);
    cc_.cmp(r, asmjit::imm(1));
    cc_.jo(slow);  // r == INT_MIN: NaN, out of range, or exactly INT_MIN
    cc_.bind(done);
    Defer([=, this] {
      current_offset_ = offset;
      cc_.bind(slow);
      if (saturating) {
        asmjit::Label nan = cc_.newLabel();
        ucomis(x, x);
        cc_.jp(nan);
        ucomis(x, FloatConst(cc_, 0.0, from64));
        cc_.jb(done);  // negative: INT_MIN is the saturated value already
        if (to64) {
          cc_.mov(r, asmjit::imm(INT64_MAX));
        } else {
          cc_.mov(r, asmjit::imm(INT32_MAX));
        }
        cc_.jmp(done);
        cc_.bind(nan);
        cc_.xor_(r.r32(), r.r32());
        cc_.jmp(done);
        return;
      }
      ucomis(x, x);
      cc_.jp(TrapStub(TrapKind::InvalidConversion));
      if (!to64 && from64) {
        // f64 -> i32: anything in (-2^31 - 1, 2^31) truncates into range.
        ucomis(x, FloatConst(cc_, -2147483649.0, true));
        cc_.jbe(TrapStub(TrapKind::IntegerOverflow));
        ucomis(x, FloatConst(cc_, 2147483648.0, true));
        cc_.jae(TrapStub(TrapKind::IntegerOverflow));
      } else {
        // No representable value of the source type lies strictly between INT_MIN - 1 and
        // INT_MIN, so only INT_MIN itself is in range here.
        ucomis(x, FloatConst(cc_, to64 ? -9223372036854775808.0 : -2147483648.0, from64));
        cc_.jne(TrapStub(TrapKind::IntegerOverflow));
      }
      cc_.jmp(done);
    });
    PushTemp(type, r);
    return;
  }

  if (!to64) {
    // Unsigned 32: convert as signed 64; in range exactly when the upper half is zero.
    x86::Gp wide = cc_.newGpq();
    cvtt(wide, x);
    x86::Gp high = cc_.newGpq();
    cc_.mov(high, wide);
    cc_.shr(high, 32);
    cc_.jnz(slow);
    cc_.bind(done);
    x86::Gp r = cc_.newGpd();
    cc_.mov(r, wide.r32());
    Defer([=, this] {
      current_offset_ = offset;
      cc_.bind(slow);
      if (saturating) {
        cc_.xor_(wide.r32(), wide.r32());
        ucomis(x, FloatConst(cc_, 0.0, from64));
        cc_.jbe(done);  // NaN (unordered sets CF) or negative: 0
        cc_.mov(wide.r32(), asmjit::imm(UINT32_MAX));
        cc_.jmp(done);
        return;
      }
      ucomis(x, x);
      cc_.jp(TrapStub(TrapKind::InvalidConversion));
      cc_.jmp(TrapStub(TrapKind::IntegerOverflow));
    });
    PushTemp(type, r);
    return;
  }

  // Unsigned 64: values >= 2^63 are converted after subtracting 2^63.
  x86::Gp r = cc_.newGpq();
  asmjit::Label big = cc_.newLabel();
  ucomis(x, FloatConst(cc_, 9223372036854775808.0, from64));
  cc_.jae(big);
  cvtt(r, x);
  cc_.test(r, r);
  cc_.js(slow);  // NaN, or x <= -1
  cc_.bind(done);
  Defer([=, this] {
    current_offset_ = offset;
    cc_.bind(slow);
    if (saturating) {
      cc_.xor_(r.r32(), r.r32());
      cc_.jmp(done);
    } else {
      ucomis(x, x);
      cc_.jp(TrapStub(TrapKind::InvalidConversion));
      cc_.jmp(TrapStub(TrapKind::IntegerOverflow));
    }
    cc_.bind(big);
    x86::Xmm t = NewValueReg(cc_, from64 ? ValType::F64 : ValType::F32).as<x86::Xmm>();
    cc_.movaps(t, x);
    cc_.emit(from64 ? x86::Inst::kIdSubsd : x86::Inst::kIdSubss, t,
             FloatConst(cc_, 9223372036854775808.0, from64));
    cvtt(r, t);
    cc_.test(r, r);
    if (saturating) {
      asmjit::Label in_range = cc_.newLabel();
      cc_.jns(in_range);
      cc_.mov(r, asmjit::imm(-1));  // x >= 2^64: UINT64_MAX
      cc_.jmp(done);
      cc_.bind(in_range);
    } else {
      cc_.js(TrapStub(TrapKind::IntegerOverflow));  // x >= 2^64
    }
    cc_.btc(r, asmjit::imm(63));
    cc_.jmp(done);
  });
  PushTemp(type, r);
}

void FunctionCompiler::EmitConvertInt(bool to64, bool from64, bool is_signed) {
  JitValue v = Pop();
  x86::Gp src = ToGp(v);
  ValType type = to64 ? ValType::F64 : ValType::F32;
  x86::Xmm d = NewValueReg(cc_, type).as<x86::Xmm>();
  auto cvt = [&](const x86::Gp& from) {
    cc_.xorps(d, d);  // cvtsi2s* only writes the low lane: break the dependency
    cc_.emit(to64 ? x86::Inst::kIdCvtsi2sd : x86::Inst::kIdCvtsi2ss, d, from);
  };
  if (is_signed) {
    cvt(from64 ? x86::Gp(src.r64()) : x86::Gp(src.r32()));
  } else if (!from64) {
    VerifyUpperHalfZero(src);
    cvt(src.r64());  // zero-extended (function_compiler.h): exact as a signed 64-bit value
  } else {
    // u64: halve with a sticky low bit (round-to-odd), convert, double: one correct rounding.
    asmjit::Label big = cc_.newLabel();
    asmjit::Label done = cc_.newLabel();
    cc_.test(src.r64(), src.r64());
    cc_.js(big);
    cvt(src.r64());
    cc_.bind(done);
    Defer([=, this] {
      cc_.bind(big);
      x86::Gp half = cc_.newGpq();
      x86::Gp low = cc_.newGpq();
      cc_.mov(half, src.r64());
      cc_.shr(half, 1);
      cc_.mov(low.r32(), src.r32());
      cc_.and_(low.r32(), 1);
      cc_.or_(half, low);
      cc_.xorps(d, d);
      cc_.emit(to64 ? x86::Inst::kIdCvtsi2sd : x86::Inst::kIdCvtsi2ss, d, half);
      cc_.emit(to64 ? x86::Inst::kIdAddsd : x86::Inst::kIdAddss, d, d);
      cc_.jmp(done);
    });
  }
  PushTemp(type, d);
}

}  // namespace wasmgrind::jit
