// opcodes.def's Shadow column (ValueShadow) compiled: the V bits (and origin) of a plain
// value instruction's result from its operands', before the instruction itself runs (it
// consumes the operands). Part of uninitialised-value tracking: see value_shadows.h.
#include <tuple>

#include "vm/jit/function_compiler.h"
#include "vm/jit/value_shadows.h"

namespace wasmgrind::jit {

uint32_t FunctionCompiler::EmitValueRule(Opcode op) {
  const auto height = static_cast<uint32_t>(stack_.size());
  auto top = [&](uint32_t depth) { return height - 1 - depth; };
  PlainSignature sig = SignatureOf(op);
  uint32_t a = height - sig.params;
  ValType pst = ShadowTypeOf(sig.param_type);
  ValType rst = ShadowTypeOf(sig.result);
  uint32_t va = vshadow_[a];
  uint32_t vb = sig.params == 2 ? vshadow_[a + 1] : kDefinedVBits;
  // Copies: the synthetic instructions below push onto stack_.
  const JitValue av = stack_[a];
  const JitValue bv = stack_[top(0)];
  uint32_t result = kDefinedVBits;
  // The result's origin (--track-origins), taken before any V bits are written.
  uint32_t org = kNoLocal;
  if (env_.track_origins && (va != kDefinedVBits || vb != kDefinedVBits)) {
    org = Info(op).shadow == ValueShadow::Divide ? OriginLocal(va) : UnionOrigin(va, vb, pst);
  }
  auto own = [&] {
    result = ResultVBitsLocal(a, height, sig.result);
    return result;
  };
  // approx(x) of the V bits on top: 0 if x is 0, else all ones, of the result's width.
  auto approx = [&] { EmitApproxVBits(pst, rst); };
  auto or_ = [&](ValType st) { Synth(Op32or64(st, Opcode::I32Or, Opcode::I64Or)); };
  // Pushes Va | Vb (just one of them when the other is statically defined).
  auto push_union = [&] {
    if (va == kDefinedVBits) {
      PushVBits(vb, pst);
      return;
    }
    PushVBits(va, pst);
    if (vb != kDefinedVBits && vb != va) {
      PushVBits(vb, pst);
      or_(pst);
    }
  };
  auto and_ = [&](ValType st) { Synth(Op32or64(st, Opcode::I32And, Opcode::I64And)); };
  auto constant = [&](ValType st, uint64_t bits) {
    Synth(Op32or64(st, Opcode::I32Const, Opcode::I64Const), 0, bits);
  };
  // The operands' values into scratch locals (the instruction itself still consumes them).
  auto save_operands = [&](bool both) -> std::pair<uint32_t, uint32_t> {
    uint32_t xb = ScratchVBits(0, sig.param_type);
    uint32_t xa = ScratchVBits(1, sig.param_type);
    if (!both) {
      Synth(Opcode::LocalTee, xb);
      return {kNoLocal, xb};
    }
    Synth(Opcode::LocalSet, xb);
    Synth(Opcode::LocalTee, xa);
    Synth(Opcode::LocalGet, xb);
    return {xa, xb};
  };
  // With one operand statically defined (or both the same), the result's V bits are often the
  // other's as they are: the result refers to its shadow local (as local.get's value does: rescued
  // before the local is written), or, when that local is the result slot's own, completes it there
  // (pending_), with no code. `x + 16` keeps its operand's V bits, and `local.set` of it back into
  // the same local writes no shadow at all.
  const uint32_t single = va == kDefinedVBits ? vb : vb == kDefinedVBits ? va : kDefinedVBits;
  // For the rules that are functions of Va | Vb alone, `x * x` has x's bits as one operand.
  const uint32_t alone = va == vb ? va : single;
  const bool single_is_own = alone != kDefinedVBits && IsOwnVBits(a, alone);
  const bool single_shared = alone != kDefinedVBits && pst == rst && !IsAnyOwnVBits(alone);
  switch (Info(op).shadow) {
    case ValueShadow::Approx:
      if (va == kDefinedVBits && vb == kDefinedVBits) break;
      // approx(approx(x)) = approx(x), approx(smear(x)) = approx(x).
      if (pst == rst && (single_is_own || (single_shared && PendingOf(alone) == Pending::Approx))) {
        if (single_is_own) SetPending(alone, Pending::Approx);
        result = alone;
        break;
      }
      raw_vbits_ = Pending::Approx;  // approx(approx(a) | b) = approx(smear(a) | b) = approx(a | b)
      push_union();
      raw_vbits_ = Pending::None;
      if (pst != rst) {
        approx();
        SetVBits(own(), org);
        break;
      }
      SetVBits(own(), org);
      SetPending(result, Pending::Approx);
      break;
    case ValueShadow::Union:
      if (va == kDefinedVBits && vb == kDefinedVBits) break;
      if (single_is_own || single_shared) {
        result = alone;
        break;
      }
      push_union();
      SetVBits(own(), org);
      break;
    case ValueShadow::Left: {
      if (va == kDefinedVBits && vb == kDefinedVBits) break;
      // smear(smear(a) | b) = smear(a | b): an operand's pending smear is read as it is, and
      // the result's smear stays pending (pending_). Upward-closed operands need none: their
      // union is closed, and smear(a) | b = smear(a | b) when b is closed.
      const bool pending_operand =
          PendingOf(va) == Pending::Smear || PendingOf(vb) == Pending::Smear;
      // smear(x) = x when x is upward closed: known so, or an approximation or smear pending.
      if (single_is_own || single_shared) {
        const bool closed =
            PendingOf(alone) != Pending::None || defined_values_.IsClosedLeft(current_offset_);
        if (closed || single_is_own) {
          if (!closed) SetPending(alone, Pending::Smear);
          result = alone;
          break;
        }
      }
      raw_vbits_ = Pending::Smear;
      push_union();
      raw_vbits_ = Pending::None;
      SetVBits(own(), org);
      if (pending_operand || !defined_values_.IsClosedLeft(current_offset_)) {
        SetPending(result, Pending::Smear);
      }
      break;
    }
    case ValueShadow::And:
    case ValueShadow::Or: {
      if (va == kDefinedVBits && vb == kDefinedVBits) break;
      const bool is_or = Info(op).shadow == ValueShadow::Or;
      // A defined bit of one operand that decides the result (0 for and, 1 for or) makes
      // the result bit defined: with one operand undefined, Va & b (and) or Va & ~b (or).
      const JitValue& other = vb == kDefinedVBits ? bv : av;
      if (single != kDefinedVBits && other.is_const()) {
        PushVBits(single, pst);
        constant(pst, is_or ? ~other.bits : other.bits);
        and_(pst);
        SetVBits(own(), org);
        break;
      }
      asmjit::BaseNode* before = cc_.cursor();
      const size_t num_vregs = cc_.virtRegs().size();
      const x86::Gp r = EmitAndOrVBits(is_or, pst, va, vb, a, top(0));
      PushTemp(pst, r);
      NoteLastResult(before, num_vregs);  // so that SetVBits renames r rather than copying it
      SetVBits(own(), org);
      break;
    }
    case ValueShadow::Shift: {
      if (va == kDefinedVBits && vb == kDefinedVBits) break;
      uint32_t xb = kNoLocal;
      if (va != kDefinedVBits && !bv.is_const()) xb = save_operands(false).second;
      bool any = false;
      if (va != kDefinedVBits) {
        PushVBits(va, pst);
        if (xb == kNoLocal) {
          constant(pst, bv.bits);
        } else {
          Synth(Opcode::LocalGet, xb);
        }
        Synth(op);
        any = true;
      }
      if (vb != kDefinedVBits) {
        PushVBits(vb, pst);
        approx();
        if (any) or_(pst);
      }
      SetVBits(own(), org);
      break;
    }
    case ValueShadow::Divide:
      EmitVBitsUse(top(0), McUninitUse::Value, ValTypeSize(sig.param_type));
      if (va == kDefinedVBits) break;
      PushVBits(va, pst);
      approx();
      SetVBits(own(), org);
      break;
    case ValueShadow::Extend:
      if (va == kDefinedVBits) break;
      PushVBits(va, pst);
      Synth(op);
      SetVBits(own(), org);
      break;
    case ValueShadow::Identity:
      if (va == kDefinedVBits) break;
      if (single_is_own || single_shared) {
        result = alone;
        break;
      }
      PushVBits(va, pst);
      SetVBits(own(), org);
      break;
    case ValueShadow::Structural: break;
  }
  return result;
}

// Where the V bits of the instruction whose operands are slots [a, height) go: the result slot's
// own shadow local or, where a local.set/tee of the result follows at once, that local's,
// which the set then leaves as it is. The operands' bits were read: their slots need no rescue
// (SetVBits).
uint32_t FunctionCompiler::ResultVBitsLocal(uint32_t a, uint32_t height, ValType result_type) {
  const uint32_t own = OwnVBits(a, result_type);
  const std::optional<uint32_t> set = defined_values_.LocalSetAfter(current_offset_);
  if (!set || local_vbits_[*set] == kNoLocal ||
      local_types_[local_vbits_[*set]] != ShadowTypeOf(result_type)) {
    return own;
  }
  for (uint32_t h = a; h < height; ++h) {
    if (IsOwnVBits(h, vshadow_[h]) && PendingOf(vshadow_[h]) != Pending::None) {
      pending_[vshadow_[h]] = Pending::None;  // dead from here
    }
    vshadow_[h] = kDefinedVBits;
  }
  return local_vbits_[*set];
}

// The V bits of `and`/`or` of the operands in slots a and b (va, vb their V bits, at least one
// not statically defined), read where the values are (the instruction reads them after): with
// one operand undefined, Va & b (and) or ~b & Va (or: one andn); with both, Valgrind's three
// terms, (a|Va) & (b|Vb) & (Va|Vb) (and: each may be 1 and one is undefined) or
// (Va|Vb) & ~((a & ~Va) | (b & ~Vb)) (or: one is undefined and neither is surely 1).
x86::Gp FunctionCompiler::EmitAndOrVBits(bool is_or, ValType pst, uint32_t va, uint32_t vb,
                                         uint32_t a, uint32_t b) {
  const bool wide = pst == ValType::I64;
  auto sized = [&](const x86::Gp& g) -> x86::Gp {
    return wide ? x86::Gp(g.r64()) : x86::Gp(g.r32());
  };
  auto value = [&](uint32_t slot) {
    JitValue& v = stack_[slot];
    if (v.kind == JitValue::Kind::Cond) v = JitValue::Temp(v.type, ToReg(v));
    return sized(ToGp(v));
  };
  auto vbits = [&](uint32_t local) { return sized(ToGp(VBitsValue(local, pst))); };
  const x86::Gp r = wide ? cc_.newGpq("vbits") : cc_.newGpd("vbits");
  if (va == kDefinedVBits || vb == kDefinedVBits) {
    const x86::Gp v = vbits(va == kDefinedVBits ? vb : va);
    const x86::Gp x = value(va == kDefinedVBits ? a : b);  // the defined operand
    if (is_or) {
      cc_.andn(r, x, v);
    } else {
      cc_.mov(r, v);
      cc_.and_(r, x);
    }
    return r;
  }
  const x86::Gp ra = vbits(va), rb = vbits(vb);
  const x86::Gp xa = value(a), xb = value(b);
  const x86::Gp t = wide ? cc_.newGpq("vbits") : cc_.newGpd("vbits");
  if (is_or) {
    cc_.andn(r, ra, xa);
    cc_.andn(t, rb, xb);
    cc_.or_(r, t);
    cc_.mov(t, ra);
    cc_.or_(t, rb);
    cc_.andn(r, r, t);
  } else {
    cc_.mov(r, xa);
    cc_.or_(r, ra);
    cc_.mov(t, xb);
    cc_.or_(t, rb);
    cc_.and_(r, t);
    cc_.mov(t, ra);
    cc_.or_(t, rb);
    cc_.and_(r, t);
  }
  return r;
}

}  // namespace wasmgrind::jit
