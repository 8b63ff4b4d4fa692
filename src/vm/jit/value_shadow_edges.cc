// V bits across edges (value_shadows.h): a function's params and results, calls, and the
// values a branch carries to a label.
#include "vm/jit/function_compiler.h"
#include "vm/jit/value_shadows.h"

namespace wasmgrind::jit {

void FunctionCompiler::EmitParamVBits() {
  const FuncType& type = func_type();
  local_vbits_.assign(local_types_.size(), kNoLocal);
  // A local whose every read is statically defined (loop counters, indexes) needs no shadow.
  std::optional<uint32_t> stack_pointer;
  if (env_.c_stack) stack_pointer = env_.c_stack->global_index;
  defined_values_ = FindDefinedValues(module_, defined_index_, stack_pointer);
  const std::vector<bool>& needed = defined_values_.needs_shadow;
  for (uint32_t i = 0; i < local_vbits_.size(); ++i) {
    if (!Tracked(local_types_[i]) || (i < needed.size() && !needed[i])) continue;
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

}  // namespace wasmgrind::jit
