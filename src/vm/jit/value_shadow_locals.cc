// The shadow locals of uninitialised-value tracking (value_shadows.h): creating them, moving
// V bits and origins between them as synthetic wasm, and testing them where a value is used.
#include <algorithm>

#include "vm/jit/function_compiler.h"
#include "vm/jit/value_shadows.h"

namespace wasmgrind::jit {

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

bool FunctionCompiler::IsOwnVBits(uint32_t height, uint32_t vbits) const {
  if (vbits == kDefinedVBits) return false;
  const std::vector<uint32_t>& pool = height_vbits_[WidthIndex(local_types_[vbits])];
  return height < pool.size() && pool[height] == vbits;
}

bool FunctionCompiler::IsAnyOwnVBits(uint32_t vbits) const {
  if (vbits == kDefinedVBits) return false;
  const std::vector<uint32_t>& pool = height_vbits_[WidthIndex(local_types_[vbits])];
  return std::find(pool.begin(), pool.end(), vbits) != pool.end();
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
  if (const Pending kind = PendingOf(index); kind != Pending::None) {
    const bool raw = raw_vbits_ == Pending::Approx || raw_vbits_ == kind;
    if (op == Opcode::LocalGet && !raw) MaterializePending(index);
    if (op == Opcode::LocalSet || op == Opcode::LocalTee) pending_[index] = Pending::None;
  }
  Instr instr;
  instr.op = op;
  instr.offset = current_offset_;
  instr.index = index;
  instr.bits = bits;
  // Only plain, local and constant instructions are synthesized: each compiles. Should one
  // not, CompileTracked reports the instruction as an internal error.
  asmjit::BaseNode* before = cc_.cursor();
  const size_t num_vregs = cc_.virtRegs().size();
  if (!EmitInstr(instr, *validator_)) synth_failed_ = true;
  // So that a local.set of the result renames it rather than copying (RetargetLastResult).
  NoteLastResult(before, num_vregs);
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

JitValue FunctionCompiler::VBitsValue(uint32_t vbits, ValType shadow_type, bool raw) {
  if (vbits == kDefinedVBits) return JitValue::Const(shadow_type, 0);
  if (!raw && PendingOf(vbits) != Pending::None) MaterializePending(vbits);
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

void FunctionCompiler::SetPending(uint32_t local, Pending kind) {
  pending_.resize(std::max(pending_.size(), local_types_.size()), Pending::None);
  pending_[local] = kind;
}

void FunctionCompiler::MaterializePending(uint32_t local) {
  const Pending kind = pending_[local];
  pending_[local] = Pending::None;
  const ValType st = local_types_[local];
  if (!locals_in_memory_) {
    // In place: the raw bits become the ones they stand for, which every reader agrees on (so
    // references to the local need no rescue).
    MaterializeAliases(local);
    ZeroLocalIfNeeded(local);
    const x86::Gp v = LocalReg(local).as<x86::Gp>();
    if (kind == Pending::Approx) {  // neg sets the carry exactly when v is not 0
      cc_.neg(v);
      cc_.sbb(v, v);
      return;
    }
    const x86::Gp t = st == ValType::I64 ? cc_.newGpq("smear") : cc_.newGpd("smear");
    cc_.mov(t, v);
    cc_.neg(t);
    cc_.or_(v, t);
    return;
  }
  if (kind == Pending::Approx) {
    Synth(Opcode::LocalGet, local);
    EmitApproxVBits(st, st);
    Synth(Opcode::LocalSet, local);
    return;
  }
  EmitSmearVBits(local, st);
}

void FunctionCompiler::EmitSmearVBits(uint32_t local, ValType st) {
  // x | -x: every bit from x's lowest set bit up, which an add's carries can reach.
  x86::Gp v = ToGp(VBitsValue(local, st, /*raw=*/true));
  x86::Gp t = st == ValType::I64 ? cc_.newGpq("smear") : cc_.newGpd("smear");
  cc_.mov(t, v);
  cc_.neg(t);
  cc_.or_(t, v);
  PushTemp(st, t);
  Synth(Opcode::LocalSet, local);
}

void FunctionCompiler::MaterializeAllPending(const std::vector<uint32_t>& keep) {
  for (uint32_t local = 0; local < pending_.size(); ++local) {
    if (pending_[local] == Pending::None) continue;
    if (std::find(keep.begin(), keep.end(), local) != keep.end()) continue;
    MaterializePending(local);
  }
}

void FunctionCompiler::EmitVBitsUse(uint32_t slot, McUninitUse use, uint32_t size) {
  uint32_t vbits = vshadow_[slot];
  if (vbits == kDefinedVBits) return;
  ValType st = ShadowTypeOf(stack_[slot].type);
  x86::Gp reg = ToGp(VBitsValue(vbits, st, /*raw=*/true));  // only "any bit" matters
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

}  // namespace wasmgrind::jit
