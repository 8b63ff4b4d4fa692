// Uninitialised-value tracking (ModuleEnv::track_values): memcheck's V bits for every value.
//
// The V bits of a value (a set bit: that bit is undefined) live in a "shadow local": a local
// the compiler adds to the function, of type i32 for i32/f32 values and i64 for i64/f64
// values (references and v128 are not tracked: always defined). The shadow computations are
// compiled as wasm instructions on those locals (Synth), so they get the same register
// allocation, loop copies and spilling as the program's own code, and this file only decides
// which instructions; the rules per opcode are opcodes.def's Shadow column (ValueShadow).
//
// Where each shadow lives, at compile time (vshadow_, one entry per operand-stack slot):
//  - kNoLocal: statically defined (constants, results of defined operands): no code at all;
//  - the slot's own shadow local (one per stack height and width), written when the slot's
//    value is produced;
//  - the shadow local of a wasm local (after local.get) or a frame's merge local (after a
//    block's end). Such a reference is rescued (copied into the slot's own local) before the
//    referenced local is written, and at the entry of every block, loop and if, so that a
//    copy made inside a block never has to dominate a use after it (as the compiler does with
//    its aliases of locals).
// A label's values arrive in its frame's merge locals (pooled by nesting depth: a sibling
// frame's entry rescues the references to them); an if's params wait in them for the else arm.
//
// Uses: the V bits are tested where an undefined value changes behaviour (a branch condition,
// an address, a call_indirect index, a divisor, a bulk operation's operands) and a thunk
// reports it (wg_mc_Uninit). A select is Valgrind's conditional move: its condition's
// undefinedness passes into the result, reported where that is used. Calls pass V bits through the callee's VMContext header
// (param_vbits / result_vbits); globals have a word each in global_vbits; loads and stores
// exchange them with the checker on the slow path of their shadow check (mc_vbits).
#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "vm/jit/defined_locals.h"
#include "vm/jit/function_compiler.h"

namespace wasmgrind::jit {
namespace {

constexpr uint32_t kDefinedVBits = kNoLocal;

bool Tracked(ValType t) {
  return t == ValType::I32 || t == ValType::I64 || t == ValType::F32 || t == ValType::F64;
}
ValType ShadowTypeOf(ValType t) {
  return t == ValType::I64 || t == ValType::F64 ? ValType::I64 : ValType::I32;
}
uint32_t WidthIndex(ValType shadow_type) { return shadow_type == ValType::I64 ? 1 : 0; }

// The operand count and result type of a plain value instruction, from its signature.
struct PlainSignature {
  uint32_t params = 0;
  ValType param_type = ValType::I32;
  ValType result = ValType::I32;
};
PlainSignature SignatureOf(Opcode op) {
  std::string_view sig = Info(op).signature;
  PlainSignature s;
  size_t colon = sig.find(':');
  s.params = static_cast<uint32_t>(colon);
  if (colon > 0) s.param_type = SigLetterType(sig[0]);
  s.result = SigLetterType(sig[colon + 1]);
  return s;
}

Opcode Op32or64(ValType shadow_type, Opcode op32, Opcode op64) {
  return shadow_type == ValType::I64 ? op64 : op32;
}

}  // namespace

// --- shadow locals ---

uint32_t FunctionCompiler::AddShadowLocal(ValType shadow_type, bool with_origin) {
  auto index = static_cast<uint32_t>(local_types_.size());
  local_types_.push_back(shadow_type);
  if (locals_in_memory_) {
    x86::Mem slot = cc_.newStack(8, 8, "vbits");
    extra_local_slots_.push_back(slot);
    EmitInPrologue([&] { cc_.mov(slot.cloneResized(8), asmjit::imm(0)); });
    unzeroed_.push_back(false);
  } else {
    locals_.push_back(NewValueReg(cc_, shadow_type));
    unzeroed_.push_back(true);
  }
  if (env_.track_origins && with_origin) {
    uint32_t origin = AddShadowLocal(ValType::I32, /*with_origin=*/false);
    origin_of_.resize(local_types_.size(), kNoLocal);
    origin_of_[index] = origin;
  }
  return index;
}

void FunctionCompiler::PushOrigin(uint32_t origin_local) {
  if (origin_local == kNoLocal) {
    Synth(Opcode::I32Const, 0, 0);
  } else {
    Synth(Opcode::LocalGet, origin_local);
  }
}

uint32_t FunctionCompiler::UnionOrigin(uint32_t va, uint32_t vb, ValType shadow_type) {
  if (!env_.track_origins) return kNoLocal;
  if (va == kDefinedVBits) return OriginLocal(vb);
  if (vb == kDefinedVBits) return OriginLocal(va);
  uint32_t x = ScratchVBits(3, ValType::I32);
  PushOrigin(OriginLocal(va));
  PushOrigin(OriginLocal(vb));
  Synth(Opcode::LocalGet, va);
  if (shadow_type == ValType::I64) {
    Synth(Opcode::I64Eqz);
    Synth(Opcode::I32Eqz);
  }
  Synth(Opcode::Select);
  Synth(Opcode::LocalSet, x);
  return x;
}

uint32_t FunctionCompiler::OwnVBits(uint32_t height, ValType value_type) {
  ValType st = ShadowTypeOf(value_type);
  std::vector<uint32_t>& pool = height_vbits_[WidthIndex(st)];
  while (pool.size() <= height) pool.push_back(kNoLocal);
  if (pool[height] == kNoLocal) pool[height] = AddShadowLocal(st);
  return pool[height];
}

uint32_t FunctionCompiler::PooledVBits(std::vector<std::vector<uint32_t>>& pool, uint32_t depth,
                                       uint32_t i, ValType value_type) {
  ValType st = ShadowTypeOf(value_type);
  uint32_t key = i * 2 + WidthIndex(st);
  while (pool.size() <= depth) pool.emplace_back();
  std::vector<uint32_t>& row = pool[depth];
  while (row.size() <= key) row.push_back(kNoLocal);
  if (row[key] == kNoLocal) row[key] = AddShadowLocal(st);
  return row[key];
}

uint32_t FunctionCompiler::ScratchVBits(uint32_t k, ValType value_type) {
  ValType st = ShadowTypeOf(value_type);
  uint32_t key = k * 2 + WidthIndex(st);
  while (scratch_vbits_.size() <= key) scratch_vbits_.push_back(kNoLocal);
  if (scratch_vbits_[key] == kNoLocal) scratch_vbits_[key] = AddShadowLocal(st, false);
  return scratch_vbits_[key];
}

void FunctionCompiler::Synth(Opcode op, uint32_t index, uint64_t bits) {
  Instr instr;
  instr.op = op;
  instr.offset = current_offset_;
  instr.index = index;
  instr.bits = bits;
  EmitInstr(instr, *validator_);
}

void FunctionCompiler::PushVBits(uint32_t vbits, ValType shadow_type) {
  if (vbits == kDefinedVBits) {
    Synth(Op32or64(shadow_type, Opcode::I32Const, Opcode::I64Const), 0, 0);
  } else {
    Synth(Opcode::LocalGet, vbits);
  }
}

void FunctionCompiler::RescueVBits(uint32_t local, uint32_t from) {
  for (uint32_t i = from; i < vshadow_.size(); ++i) {
    if (vshadow_[i] != local || vshadow_[i] == kDefinedVBits) continue;
    uint32_t own = OwnVBits(i, stack_[i].type);
    if (own == local) continue;
    Synth(Opcode::LocalGet, local);
    Synth(Opcode::LocalSet, own);
    if (env_.track_origins) {
      PushOrigin(OriginLocal(local));
      Synth(Opcode::LocalSet, OriginLocal(own));
    }
    vshadow_[i] = own;
  }
}

void FunctionCompiler::SetVBits(uint32_t local, uint32_t origin) {
  RescueVBits(local);
  Synth(Opcode::LocalSet, local);
  uint32_t own_origin = OriginLocal(local);
  if (!env_.track_origins || own_origin == kNoLocal || own_origin == origin) return;
  PushOrigin(origin);
  Synth(Opcode::LocalSet, own_origin);
}

void FunctionCompiler::RescueAllVBits() {
  for (uint32_t i = 0; i < vshadow_.size(); ++i) {
    if (vshadow_[i] == kDefinedVBits) continue;
    uint32_t own = OwnVBits(i, stack_[i].type);
    if (vshadow_[i] == own) continue;
    Synth(Opcode::LocalGet, vshadow_[i]);
    Synth(Opcode::LocalSet, own);
    if (env_.track_origins) {
      PushOrigin(OriginLocal(vshadow_[i]));
      Synth(Opcode::LocalSet, OriginLocal(own));
    }
    vshadow_[i] = own;
  }
}

void FunctionCompiler::CopyVBits(uint32_t slot, uint32_t dst_local, ValType shadow_type) {
  if (vshadow_[slot] == dst_local) return;
  PushVBits(vshadow_[slot], shadow_type);
  SetVBits(dst_local, OriginLocal(vshadow_[slot]));
}

JitValue FunctionCompiler::VBitsValue(uint32_t vbits, ValType shadow_type) {
  if (vbits == kDefinedVBits) return JitValue::Const(shadow_type, 0);
  if (locals_in_memory_) {
    x86::Reg r = NewValueReg(cc_, shadow_type);
    LoadSlot(cc_, r, shadow_type, LocalSlot(vbits));
    return JitValue::Temp(shadow_type, r);
  }
  ZeroLocalIfNeeded(vbits);
  return JitValue::Temp(shadow_type, LocalReg(vbits));
}

void FunctionCompiler::EmitApproxVBits(ValType from, ValType to) {
  // neg sets the carry exactly when the value is not 0; sbb spreads it over the register.
  JitValue v = Pop();
  x86::Gp t = cc_.newGpq("approx");
  if (from == ValType::I64) {
    MoveValue(t, v);
    cc_.neg(t);
  } else {
    MoveValue(t.r32(), v);
    cc_.neg(t.r32());
  }
  if (to == ValType::I64) {
    cc_.sbb(t, t);
    PushTemp(ValType::I64, t);
  } else {
    cc_.sbb(t.r32(), t.r32());
    PushTemp(ValType::I32, t.r32());
  }
}

void FunctionCompiler::EmitVBitsUse(uint32_t slot, McUninitUse use, uint32_t size) {
  uint32_t vbits = vshadow_[slot];
  if (vbits == kDefinedVBits) return;
  ValType st = ShadowTypeOf(stack_[slot].type);
  x86::Gp reg = ToGp(VBitsValue(vbits, st));
  if (st == ValType::I64) {
    cc_.test(reg.r64(), reg.r64());
  } else {
    cc_.test(reg.r32(), reg.r32());
  }
  asmjit::Label report = cc_.newLabel();
  asmjit::Label resume = cc_.newLabel();
  cc_.jnz(report);
  cc_.bind(resume);
  const uint64_t info = McUninitInfo(current_offset_, use, size);
  x86::Gp origin;
  if (OriginLocal(vbits) != kNoLocal) {
    origin = ToGp(VBitsValue(OriginLocal(vbits), ValType::I32)).r64();
  }
  Defer([this, report, resume, info, origin] {
    cc_.bind(report);
    asmjit::InvokeNode* call = InvokeThunk(
        RuntimeCall::McUninitThunk, asmjit::FuncSignatureT<void, uintptr_t, uint64_t, uint64_t>());
    call->setArg(1, asmjit::imm(info));
    if (origin.isValid()) {
      call->setArg(2, origin);
    } else {
      call->setArg(2, asmjit::imm(0));
    }
    cc_.jmp(resume);
  });
}

// --- function entry and exit, calls ---

void FunctionCompiler::EmitParamVBits() {
  const FuncType& type = func_type();
  local_vbits_.assign(local_types_.size(), kNoLocal);
  // Locals that only ever hold defined values (loop counters, indexes) need no shadow.
  std::optional<uint32_t> stack_pointer;
  if (env_.c_stack) stack_pointer = env_.c_stack->global_index;
  const std::vector<bool> defined = FindDefinedLocals(module_, defined_index_, stack_pointer);
  for (uint32_t i = 0; i < local_vbits_.size(); ++i) {
    if (!Tracked(local_types_[i]) || (i < defined.size() && defined[i])) continue;
    ValType st = ShadowTypeOf(local_types_[i]);
    uint32_t shadow = AddShadowLocal(st);
    local_vbits_[i] = shadow;
    if (i >= type.params.size() || i >= kMaxParamVBits) continue;
    x86::Reg r = NewValueReg(cc_, st);
    LoadSlot(cc_, r, st, x86::ptr(vmctx_, static_cast<int32_t>(VMOffsets::ParamVBits(i))));
    InitLocal(shadow, JitValue::Temp(st, r));
    if (uint32_t origin = OriginLocal(shadow); origin != kNoLocal) {
      x86::Gp o = cc_.newGpd("origin");
      cc_.mov(o, x86::dword_ptr(vmctx_, static_cast<int32_t>(VMOffsets::ParamOrigin(i))));
      InitLocal(origin, JitValue::Temp(ValType::I32, o));
    }
  }
}

void FunctionCompiler::InitLocal(uint32_t local, const JitValue& v) {
  unzeroed_[local] = false;
  if (locals_in_memory_) {
    StoreValue(LocalSlot(local), v);
  } else {
    MoveValue(locals_[local], v);
  }
}

void FunctionCompiler::EmitResultVBits(uint32_t first_slot) {
  const std::vector<ValType>& results = func_type().results;
  for (uint32_t i = 0; i < results.size() && i < kMaxResultVBits; ++i) {
    if (!Tracked(results[i])) continue;
    ValType st = ShadowTypeOf(results[i]);
    JitValue v = VBitsValue(vshadow_[first_slot + i], st);
    x86::Mem m = x86::qword_ptr(vmctx_, static_cast<int32_t>(VMOffsets::ResultVBits(i)));
    if (v.is_const()) {
      cc_.mov(m, asmjit::imm(0));
      continue;
    }
    cc_.mov(m, ToGp(v).r64());
    if (uint32_t origin = OriginLocal(vshadow_[first_slot + i]); origin != kNoLocal) {
      cc_.mov(x86::dword_ptr(vmctx_, static_cast<int32_t>(VMOffsets::ResultOrigin(i))),
              ToGp(VBitsValue(origin, ValType::I32)).r32());
    }
  }
}

void FunctionCompiler::ZeroResultVBits(const x86::Gp& vmctx, const FuncType& type) {
  for (uint32_t i = 0; i < type.results.size() && i < kMaxResultVBits; ++i) {
    if (!Tracked(type.results[i])) continue;
    cc_.mov(x86::qword_ptr(vmctx, static_cast<int32_t>(VMOffsets::ResultVBits(i))), asmjit::imm(0));
  }
}

void FunctionCompiler::EmitCallVBitsBefore(const FuncType& type, const x86::Gp& callee_vmctx,
                                           bool may_reach_host) {
  size_t first = stack_.size() - type.params.size();
  for (uint32_t i = 0; i < type.params.size() && i < kMaxParamVBits; ++i) {
    if (!Tracked(type.params[i])) continue;
    ValType st = ShadowTypeOf(type.params[i]);
    JitValue v = VBitsValue(vshadow_[first + i], st);
    x86::Mem m = x86::qword_ptr(callee_vmctx, static_cast<int32_t>(VMOffsets::ParamVBits(i)));
    if (v.is_const()) {
      cc_.mov(m, asmjit::imm(0));
      continue;
    }
    cc_.mov(m, ToGp(v).r64());
    if (uint32_t origin = OriginLocal(vshadow_[first + i]); origin != kNoLocal) {
      cc_.mov(x86::dword_ptr(callee_vmctx, static_cast<int32_t>(VMOffsets::ParamOrigin(i))),
              ToGp(VBitsValue(origin, ValType::I32)).r32());
    }
  }
  if (may_reach_host) ZeroResultVBits(callee_vmctx, type);
}

void FunctionCompiler::EmitCallVBitsAfter(const FuncType& type, const x86::Gp& callee_vmctx) {
  call_result_vbits_.clear();
  call_result_origins_.clear();
  for (uint32_t i = 0; i < type.results.size(); ++i) {
    call_result_origins_.emplace_back();
    if (!Tracked(type.results[i]) || i >= kMaxResultVBits) {
      call_result_vbits_.emplace_back();
      continue;
    }
    if (env_.track_origins) {
      x86::Gp o = cc_.newGpd("origin");
      cc_.mov(o, x86::dword_ptr(callee_vmctx, static_cast<int32_t>(VMOffsets::ResultOrigin(i))));
      call_result_origins_.back() = o;
    }
    ValType st = ShadowTypeOf(type.results[i]);
    x86::Reg r = NewValueReg(cc_, st);
    LoadSlot(cc_, r, st, x86::ptr(callee_vmctx, static_cast<int32_t>(VMOffsets::ResultVBits(i))));
    call_result_vbits_.push_back(r);
  }
}

// --- branches ---

void FunctionCompiler::WriteLabelVBits(uint32_t frame_index, uint32_t first_slot) {
  Frame& frame = frames_[frame_index];
  if (frame_index == 0) {  // the function body: a return
    EmitResultVBits(first_slot);
    return;
  }
  ShadowFrame& sf = shadow_frames_[frame_index];
  const std::vector<ValType>& types = frame.label_types();
  sf.branched = true;
  for (uint32_t i = 0; i < types.size(); ++i) {
    if (!Tracked(types[i])) continue;
    if (vshadow_[first_slot + i] != kDefinedVBits) sf.undefined_in[i] = true;
    CopyVBits(first_slot + i, sf.merge[i], ShadowTypeOf(types[i]));
  }
}

void FunctionCompiler::OpenShadowFrame(const std::vector<ValType>& label_types,
                                       const std::vector<ValType>& params, bool share_params) {
  auto depth = static_cast<uint32_t>(frames_.size());
  ShadowFrame sf;
  sf.merge.assign(label_types.size(), kNoLocal);
  sf.undefined_in.assign(label_types.size(), false);
  for (uint32_t i = 0; i < label_types.size(); ++i) {
    if (Tracked(label_types[i])) sf.merge[i] = PooledVBits(merge_vbits_, depth, i, label_types[i]);
  }
  // An if's params wait for the else arm in locals of their own (the merge locals when they
  // have the same types: an if without else passes its params on as its results).
  uint32_t base = static_cast<uint32_t>(vshadow_.size() - params.size());
  sf.params.assign(params.size(), kNoLocal);
  for (uint32_t i = 0; i < params.size(); ++i) {
    if (!Tracked(params[i])) continue;
    // Shared with the merge locals, they are the implicit else arm's results: always written.
    if (!share_params && vshadow_[base + i] == kDefinedVBits) continue;
    uint32_t local = share_params ? sf.merge[i] : PooledVBits(param_vbits_, depth, i, params[i]);
    if (share_params && vshadow_[base + i] != kDefinedVBits) sf.undefined_in[i] = true;
    CopyVBits(base + i, local, ShadowTypeOf(params[i]));
    vshadow_[base + i] = local;
    sf.params[i] = local;
  }
  shadow_frames_.resize(depth);
  shadow_frames_.push_back(std::move(sf));
}

// --- the instruction walk ---

Result<void> FunctionCompiler::CompileTracked(const Instr& instr,
                                              const FunctionValidator& validator,
                                              const LiveCode& live) {
  validator_ = &validator;
  current_offset_ = instr.offset;
  const auto height = static_cast<uint32_t>(stack_.size());
  auto top = [&](uint32_t depth) { return height - 1 - depth; };
  // The V bits of the values the instruction pushes, in order (kDefinedVBits: defined).
  std::vector<uint32_t> pushed;
  // Work after the instruction itself (which must come first: it produces what they read).
  enum class After : uint8_t { None, Load, Call, LocalWrite, GlobalGet } after = After::None;
  uint32_t after_local = kNoLocal;
  uint32_t after_vbits = kDefinedVBits;
  const FuncType* call_type = nullptr;

  const Opcode op = instr.op;
  switch (Info(op).shadow) {
    case ValueShadow::Structural: break;
    default: {
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
        result = OwnVBits(a, sig.result);
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
        if (vb != kDefinedVBits) {
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
      switch (Info(op).shadow) {
        case ValueShadow::Approx:
          if (va == kDefinedVBits && vb == kDefinedVBits) break;
          push_union();
          approx();
          SetVBits(own(), org);
          break;
        case ValueShadow::Left:
        case ValueShadow::Union:
          if (va == kDefinedVBits && vb == kDefinedVBits) break;
          push_union();
          SetVBits(own(), org);
          if (Info(op).shadow == ValueShadow::Left) {  // x | -x
            Synth(Opcode::LocalGet, result);
            constant(pst, 0);
            Synth(Opcode::LocalGet, result);
            Synth(Op32or64(pst, Opcode::I32Sub, Opcode::I64Sub));
            or_(pst);
            SetVBits(result, OriginLocal(result));
          }
          break;
        case ValueShadow::And:
        case ValueShadow::Or: {
          if (va == kDefinedVBits && vb == kDefinedVBits) break;
          const bool is_or = Info(op).shadow == ValueShadow::Or;
          // A defined bit of one operand that decides the result (0 for and, 1 for or) makes
          // the result bit defined: the term for Va is Va & b (and) or Va & ~b (or).
          auto other_term = [&](uint32_t v, uint32_t other_value, const JitValue& other_const) {
            PushVBits(v, pst);
            if (other_value == kNoLocal) {
              uint64_t bits = other_const.bits;
              constant(pst, is_or ? ~bits : bits);
            } else {
              Synth(Opcode::LocalGet, other_value);
              if (is_or) {
                constant(pst, ~uint64_t{0});
                Synth(Op32or64(pst, Opcode::I32Xor, Opcode::I64Xor));
              }
            }
            and_(pst);
          };
          uint32_t xa = kNoLocal, xb = kNoLocal;
          const bool need_b = va != kDefinedVBits && !bv.is_const();
          const bool need_a = vb != kDefinedVBits && !av.is_const();
          if (need_a) {
            std::tie(xa, xb) = save_operands(true);
          } else if (need_b) {
            xb = save_operands(false).second;
          }
          uint32_t terms = 0;
          if (va != kDefinedVBits) {
            other_term(va, xb, bv);
            ++terms;
          }
          if (vb != kDefinedVBits) {
            other_term(vb, xa, av);
            if (terms++ > 0) or_(pst);
          }
          if (va != kDefinedVBits && vb != kDefinedVBits) {
            PushVBits(va, pst);
            PushVBits(vb, pst);
            and_(pst);
            or_(pst);
          }
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
          PushVBits(va, pst);
          SetVBits(own(), org);
          break;
        case ValueShadow::Structural: break;
      }
      pushed.push_back(result);
      break;
    }
  }

  if (Info(op).shadow == ValueShadow::Structural) {
    switch (op) {
      case Opcode::Unreachable:
      case Opcode::Nop: break;
      case Opcode::Block:
      case Opcode::Loop: {
        RescueAllVBits();
        const auto& vf = validator.frames().back();
        if (op == Opcode::Loop) {
          OpenShadowFrame(vf.params, {}, false);
          ShadowFrame& sf = shadow_frames_.back();
          uint32_t base = height - static_cast<uint32_t>(vf.params.size());
          for (uint32_t i = 0; i < vf.params.size(); ++i) {
            if (!Tracked(vf.params[i])) continue;
            CopyVBits(base + i, sf.merge[i], ShadowTypeOf(vf.params[i]));
            vshadow_[base + i] = sf.merge[i];
          }
        } else {
          OpenShadowFrame(vf.results, {}, false);
        }
        for (uint32_t i = height - static_cast<uint32_t>(vf.params.size()); i < height; ++i) {
          pushed.push_back(vshadow_[i]);
        }
        break;
      }
      case Opcode::If: {
        EmitVBitsUse(top(0), McUninitUse::Condition, 4);
        vshadow_.pop_back();
        RescueAllVBits();
        const auto& vf = validator.frames().back();
        OpenShadowFrame(vf.results, vf.params, vf.params == vf.results);
        for (uint32_t i = height - 1 - static_cast<uint32_t>(vf.params.size()); i < height - 1;
             ++i) {
          pushed.push_back(vshadow_[i]);
        }
        vshadow_.push_back(kDefinedVBits);  // the condition, popped by the generic resize
        break;
      }
      case Opcode::Else: {
        Frame& frame = frames_.back();
        if (live.falls_through()) {
          WriteLabelVBits(static_cast<uint32_t>(frames_.size() - 1),
                          height - static_cast<uint32_t>(frame.results.size()));
        }
        for (uint32_t p : shadow_frames_.back().params) pushed.push_back(p);
        break;
      }
      case Opcode::End: {
        auto fi = static_cast<uint32_t>(frames_.size() - 1);
        Frame& frame = frames_.back();
        auto n = static_cast<uint32_t>(frame.results.size());
        if (fi == 0) {
          if (live.falls_through()) EmitResultVBits(height - n);
          break;
        }
        ShadowFrame& sf = shadow_frames_[fi];
        // Reached only by falling through: the values stay where they are.
        if (frame.kind == Opcode::Loop || (frame.kind == Opcode::Block && !sf.branched)) {
          for (uint32_t i = 0; i < n; ++i) {
            pushed.push_back(live.falls_through() ? vshadow_[height - n + i] : kDefinedVBits);
          }
          break;
        }
        if (live.falls_through()) WriteLabelVBits(fi, height - n);
        for (uint32_t i = 0; i < n; ++i) {
          pushed.push_back(sf.undefined_in[i] ? sf.merge[i] : kDefinedVBits);
        }
        break;
      }
      case Opcode::Br:
      case Opcode::Return: {
        uint32_t fi =
            op == Opcode::Return ? 0 : static_cast<uint32_t>(frames_.size() - 1 - instr.index);
        auto n = static_cast<uint32_t>(frames_[fi].label_types().size());
        WriteLabelVBits(fi, height - n);
        break;
      }
      case Opcode::BrIf: {
        EmitVBitsUse(top(0), McUninitUse::Condition, 4);
        auto fi = static_cast<uint32_t>(frames_.size() - 1 - instr.index);
        auto n = static_cast<uint32_t>(frames_[fi].label_types().size());
        WriteLabelVBits(fi, height - 1 - n);
        for (uint32_t i = height - 1 - n; i < height - 1; ++i) pushed.push_back(vshadow_[i]);
        break;
      }
      case Opcode::BrTable: {
        EmitVBitsUse(top(0), McUninitUse::Condition, 4);
        std::vector<uint32_t> done;
        for (uint32_t depth : instr.br_targets) {
          auto fi = static_cast<uint32_t>(frames_.size() - 1 - depth);
          if (std::find(done.begin(), done.end(), fi) != done.end()) continue;
          done.push_back(fi);
          auto n = static_cast<uint32_t>(frames_[fi].label_types().size());
          WriteLabelVBits(fi, height - 1 - n);
        }
        break;
      }
      case Opcode::Call:
      case Opcode::CallIndirect: {
        call_type =
            op == Opcode::Call ? &module_.func_type(instr.index) : &module_.types[instr.index];
        if (op == Opcode::CallIndirect) EmitVBitsUse(top(0), McUninitUse::Value, 4);
        pushed.assign(call_type->results.size(), kDefinedVBits);  // After::Call fills them in
        after = After::Call;
        break;
      }
      case Opcode::Drop: break;
      case Opcode::Select:
      case Opcode::SelectT: {
        // Valgrind's rule for a conditional move (its ITE): no report; the chosen value's
        // bits, all undefined if the condition is. The use of the result reports.
        uint32_t va = vshadow_[top(2)], vb = vshadow_[top(1)], vc = vshadow_[top(0)];
        ValType t = stack_[top(2)].type;
        if (!Tracked(t) || (va == kDefinedVBits && vb == kDefinedVBits && vc == kDefinedVBits)) {
          pushed.push_back(kDefinedVBits);
          break;
        }
        ValType st = ShadowTypeOf(t);
        uint32_t own = OwnVBits(top(2), t);
        if (va != kDefinedVBits || vb != kDefinedVBits) {
          uint32_t xc = ScratchVBits(2, ValType::I32);
          Synth(Opcode::LocalTee, xc);
          PushVBits(va, st);
          PushVBits(vb, st);
          Synth(Opcode::LocalGet, xc);
          Synth(Opcode::Select);
        }
        if (vc != kDefinedVBits) {
          Synth(Opcode::LocalGet, vc);
          EmitApproxVBits(ValType::I32, st);
          if (va != kDefinedVBits || vb != kDefinedVBits) {
            Synth(Op32or64(st, Opcode::I32Or, Opcode::I64Or));
          }
        }
        uint32_t origin = OriginLocal(vc);
        if (env_.track_origins && (va != kDefinedVBits || vb != kDefinedVBits)) {
          origin = ScratchVBits(3, ValType::I32);
          PushOrigin(OriginLocal(va));
          PushOrigin(OriginLocal(vb));
          Synth(Opcode::LocalGet, ScratchVBits(2, ValType::I32));
          Synth(Opcode::Select);
          Synth(Opcode::LocalSet, origin);
        }
        SetVBits(own, origin);
        pushed.push_back(own);
        break;
      }
      case Opcode::LocalGet: pushed.push_back(local_vbits_[instr.index]); break;
      case Opcode::LocalSet:
      case Opcode::LocalTee:
        after_local = local_vbits_[instr.index];
        after_vbits = vshadow_[top(0)];
        if (op == Opcode::LocalTee) pushed.push_back(after_vbits);
        if (after_local != kNoLocal) after = After::LocalWrite;
        break;
      case Opcode::GlobalGet: {
        ValType t = module_.globals[instr.index].type;
        if (Tracked(t) && !IsStackPointer(instr.index)) {
          after = After::GlobalGet;
          pushed.push_back(OwnVBits(height, t));
        } else {
          pushed.push_back(kDefinedVBits);
        }
        break;
      }
      case Opcode::GlobalSet: {
        ValType t = module_.globals[instr.index].type;
        if (!Tracked(t) || IsStackPointer(instr.index)) break;
        ValType st = ShadowTypeOf(t);
        JitValue v = VBitsValue(vshadow_[top(0)], st);
        x86::Gp table = VmctxField(VMOffsets::GlobalVBits());
        x86::Mem m = x86::qword_ptr(table, static_cast<int32_t>(instr.index * 8));
        if (v.is_const()) {
          cc_.mov(m, asmjit::imm(0));
          break;
        }
        cc_.mov(m, ToGp(v).r64());
        if (uint32_t origin = OriginLocal(vshadow_[top(0)]); origin != kNoLocal) {
          x86::Gp origins = VmctxField(VMOffsets::GlobalOrigins());
          cc_.mov(x86::dword_ptr(origins, static_cast<int32_t>(instr.index * 4)),
                  ToGp(VBitsValue(origin, ValType::I32)).r32());
        }
        break;
      }
      case Opcode::MemorySize:
      case Opcode::TableSize:
      case Opcode::RefNull:
      case Opcode::RefFunc:
      case Opcode::RefIsNull:
      case Opcode::I32Const:
      case Opcode::I64Const:
      case Opcode::F32Const:
      case Opcode::F64Const: pushed.push_back(kDefinedVBits); break;
      case Opcode::MemoryGrow:
        EmitVBitsUse(top(0), McUninitUse::Value, 4);
        pushed.push_back(kDefinedVBits);
        break;
      case Opcode::MemoryFill:  // (the fill byte's V bits are not carried: memory.fill defines)
        EmitVBitsUse(top(2), McUninitUse::Value, 4);
        EmitVBitsUse(top(0), McUninitUse::Condition, 4);
        break;
      case Opcode::MemoryCopy:
      case Opcode::MemoryInit:
      case Opcode::TableInit:
      case Opcode::TableCopy:
      case Opcode::TableFill:
        EmitVBitsUse(top(2), McUninitUse::Value, 4);
        EmitVBitsUse(top(1), McUninitUse::Value, 4);
        EmitVBitsUse(top(0), McUninitUse::Condition, 4);
        break;
      case Opcode::DataDrop:
      case Opcode::ElemDrop: break;
      case Opcode::TableGet:
        EmitVBitsUse(top(0), McUninitUse::Value, 4);
        pushed.push_back(kDefinedVBits);
        break;
      case Opcode::TableSet: EmitVBitsUse(top(1), McUninitUse::Value, 4); break;
      case Opcode::TableGrow:
        EmitVBitsUse(top(0), McUninitUse::Value, 4);
        pushed.push_back(kDefinedVBits);
        break;
      default:
        if (IsLoad(op)) {
          EmitVBitsUse(top(0), McUninitUse::Value, 4);
          ValType t = SigLetterType(Info(op).signature.back());
          after = After::Load;
          pushed.push_back(OwnVBits(top(0), t));
          load_vbits_wanted_ = true;
        } else if (IsStore(op)) {
          EmitVBitsUse(top(1), McUninitUse::Value, 4);
          ValType t = SigLetterType(Info(op).signature[1]);
          store_vbits_ = VBitsValue(vshadow_[top(0)], ShadowTypeOf(t));
          if (uint32_t origin = OriginLocal(vshadow_[top(0)]); origin != kNoLocal) {
            store_origin_ = VBitsValue(origin, ValType::I32);
          }
        } else {
          return Error::Make(ErrorKind::Internal,
                             fmt::format("no V-bit rule for {}", OpcodeText(op)), instr.offset);
        }
        break;
    }
  }

  TRY(CompileInstr(instr, validator, live));
  store_vbits_ = JitValue::Const(ValType::I32, 0);
  store_origin_ = JitValue::Const(ValType::I32, 0);
  load_vbits_wanted_ = false;

  if (stack_.size() < pushed.size() ||
      (op != Opcode::Block && op != Opcode::Loop && op != Opcode::If && op != Opcode::Else &&
       stack_.size() - pushed.size() > vshadow_.size())) {
    return Error::Make(ErrorKind::Internal,
                       fmt::format("V-bit stack out of step after `{}`", OpcodeText(op)),
                       instr.offset);
  }
  vshadow_.resize(stack_.size() - pushed.size());
  vshadow_.insert(vshadow_.end(), pushed.begin(), pushed.end());

  switch (after) {
    case After::None: break;
    case After::Load: {
      uint32_t slot = top(0);
      PushTemp(ShadowTypeOf(stack_[slot].type), load_vbits_);
      Synth(Opcode::LocalSet, vshadow_[slot]);
      if (uint32_t origin = OriginLocal(vshadow_[slot]); origin != kNoLocal) {
        PushTemp(ValType::I32, load_origin_);
        Synth(Opcode::LocalSet, origin);
      }
      break;
    }
    case After::GlobalGet: {
      ValType st = ShadowTypeOf(stack_.back().type);
      x86::Gp table = VmctxField(VMOffsets::GlobalVBits());
      x86::Reg r = NewValueReg(cc_, st);
      LoadSlot(cc_, r, st, x86::ptr(table, static_cast<int32_t>(instr.index * 8)));
      PushTemp(st, r);
      Synth(Opcode::LocalSet, vshadow_.back());
      if (uint32_t origin = OriginLocal(vshadow_.back()); origin != kNoLocal) {
        x86::Gp origins = VmctxField(VMOffsets::GlobalOrigins());
        x86::Gp o = cc_.newGpd("origin");
        cc_.mov(o, x86::dword_ptr(origins, static_cast<int32_t>(instr.index * 4)));
        PushTemp(ValType::I32, o);
        Synth(Opcode::LocalSet, origin);
      }
      break;
    }
    case After::LocalWrite:
      if (after_vbits != after_local) {
        ValType st = local_types_[after_local];
        PushVBits(after_vbits, st);
        SetVBits(after_local, OriginLocal(after_vbits));
      }
      break;
    case After::Call: {
      auto n = static_cast<uint32_t>(call_type->results.size());
      uint32_t first = static_cast<uint32_t>(stack_.size()) - n;
      for (uint32_t i = 0; i < n; ++i) {
        if (i >= call_result_vbits_.size() || !call_result_vbits_[i].isValid()) continue;
        ValType t = call_type->results[i];
        uint32_t own = OwnVBits(first + i, t);
        uint32_t origin = kNoLocal;
        if (call_result_origins_[i].isValid()) {
          origin = ScratchVBits(3, ValType::I32);
          PushTemp(ValType::I32, call_result_origins_[i]);
          Synth(Opcode::LocalSet, origin);
        }
        PushTemp(ShadowTypeOf(t), call_result_vbits_[i]);
        SetVBits(own, origin);
        vshadow_[first + i] = own;
      }
      break;
    }
  }
  if (op == Opcode::End && frames_.size() < shadow_frames_.size()) {
    shadow_frames_.resize(frames_.size());
  }
  return Ok();
}

}  // namespace wasmgrind::jit
