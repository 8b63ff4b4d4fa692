// The instruction walk of uninitialised-value tracking (value_shadows.h): for each
// instruction, the shadow code around it (CompileInstr), one case per Structural opcode.
#include <algorithm>

#include <fmt/format.h>

#include "vm/jit/function_compiler.h"
#include "vm/jit/value_shadows.h"

namespace wasmgrind::jit {

Result<void> FunctionCompiler::CompileTracked(const Instr& instr,
                                              const FunctionValidator& validator,
                                              const LiveCode& live) {
  validator_ = &validator;
  current_offset_ = instr.offset;
  const Opcode op = instr.op;
  ShadowStep step;
  load_vbits_local_ = kNoLocal;
  load_vbits_in_place_ = false;
  NoteLoopPrefix(instr);
  if (Info(op).shadow != ValueShadow::Structural) {
    step.pushed.push_back(EmitValueRule(op));
  } else if (CategoryOf(op) == OpCategory::Control) {
    ShadowControl(instr, validator, live, step);
  } else {
    TRY(ShadowBefore(instr, step));
  }

  TRY(CompileInstr(instr, validator, live));
  store_vbits_ = JitValue::Const(ValType::I32, 0);
  store_vbits_pending_ = Pending::None;
  store_origin_ = JitValue::Const(ValType::I32, 0);

  const std::vector<uint32_t>& pushed = step.pushed;
  if (stack_.size() < pushed.size() ||
      (op != Opcode::Block && op != Opcode::Loop && op != Opcode::If && op != Opcode::Else &&
       stack_.size() - pushed.size() > vshadow_.size())) {
    return Error::Make(ErrorKind::Internal,
                       fmt::format("V-bit stack out of step after `{}`", OpcodeText(op)),
                       instr.offset);
  }
  // Slots popped for good: their own locals are dead, so a completion still pending in one is
  // never needed (an address or a condition read it as it was). A local.set's moves to the
  // local first (ShadowAfter).
  if (CategoryOf(op) != OpCategory::Control && step.after != ShadowStep::After::LocalWrite) {
    for (size_t h = stack_.size(); h < vshadow_.size(); ++h) {
      const uint32_t own = vshadow_[h];
      if (PendingOf(own) != Pending::None && IsOwnVBits(static_cast<uint32_t>(h), own) &&
          std::find(pushed.begin(), pushed.end(), own) == pushed.end()) {
        pending_[own] = Pending::None;
      }
    }
  }
  vshadow_.resize(stack_.size() - pushed.size());
  vshadow_.insert(vshadow_.end(), pushed.begin(), pushed.end());
  ShadowAfter(instr, step);
  load_vbits_local_ = kNoLocal;
  load_vbits_in_place_ = false;
  if (op == Opcode::End && frames_.size() < shadow_frames_.size()) {
    shadow_frames_.resize(frames_.size());
  }
  if (op == Opcode::Loop) {
    loop_prefix_ = static_cast<uint32_t>(frames_.size() - 1);
    prefix_reads_.clear();
  }
  if (synth_failed_) {
    return Error::Make(ErrorKind::Internal,
                       fmt::format("V-bit code for `{}` did not compile", OpcodeText(op)),
                       instr.offset);
  }
  return Ok();
}

void FunctionCompiler::NoteLoopPrefix(const Instr& instr) {
  if (!loop_prefix_) return;
  const Opcode op = instr.op;
  if (op == Opcode::LocalGet) {
    prefix_reads_.push_back(instr.index);
  } else if (op == Opcode::LocalSet || op == Opcode::LocalTee) {
    // (A value whose V bits are already the local's, with no read of it in the prefix, is a
    // load's that wrote them there: written too.)
    const uint32_t shadow = local_vbits_[instr.index];
    if (std::find(prefix_reads_.begin(), prefix_reads_.end(), instr.index) == prefix_reads_.end() &&
        shadow != kNoLocal) {
      shadow_frames_[*loop_prefix_].written_first.push_back(instr.index);
    }
  } else if (CategoryOf(op) == OpCategory::Control && op != Opcode::Nop) {
    loop_prefix_.reset();  // a branch may leave, a block may read: the prefix ends here
  }
}

// Block structure: merge locals for labels, the uses of branch conditions, and the V bits a
// branch carries to its label.
void FunctionCompiler::ShadowControl(const Instr& instr, const FunctionValidator& validator,
                                     const LiveCode& live, ShadowStep& step) {
  const Opcode op = instr.op;
  const auto height = static_cast<uint32_t>(stack_.size());
  auto top = [&](uint32_t depth) { return height - 1 - depth; };
  std::vector<uint32_t>& pushed = step.pushed;
  // A branch condition is only tested for 0, and approx(x) is 0 exactly when x is: its own
  // pending approximation is tested raw (the condition is popped, nothing reads it after).
  if ((op == Opcode::BrIf || op == Opcode::If || op == Opcode::BrTable) && height > 0) {
    uint32_t cond = vshadow_[top(0)];
    if (IsOwnVBits(top(0), cond) && PendingOf(cond) != Pending::None) {
      pending_[cond] = Pending::None;
    }
  }
  // Compile-time state must agree on every edge: no approximation stays pending across one,
  // but in a local that a loop's back edge reaches dead (its body writes it before reading it
  // or leaving): the fallthrough keeps it pending, and the header sees a local it overwrites.
  std::vector<uint32_t> keep;
  if ((op == Opcode::Br || op == Opcode::BrIf) && instr.index < frames_.size()) {
    const auto fi = static_cast<uint32_t>(frames_.size() - 1 - instr.index);
    if (frames_[fi].kind == Opcode::Loop && fi < shadow_frames_.size()) {
      for (uint32_t local : shadow_frames_[fi].written_first) {
        if (local_vbits_[local] != kNoLocal) keep.push_back(local_vbits_[local]);
      }
    }
  }
  MaterializeAllPending(keep);
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
      for (uint32_t i = height - 1 - static_cast<uint32_t>(vf.params.size()); i < height - 1; ++i) {
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
      // Reached only by falling through: the values stay where they are. Where the fallthrough
      // is dead too, the compiler drops them (EmitEnd): so does this.
      if (frame.kind == Opcode::Loop || (frame.kind == Opcode::Block && !sf.branched)) {
        if (live.falls_through()) {
          for (uint32_t i = 0; i < n; ++i) pushed.push_back(vshadow_[height - n + i]);
        }
        break;
      }
      // Nor does an if/else's end that neither arm reaches and nothing branches to.
      if (frame.kind == Opcode::If && frame.has_else && !frame.branched && !live.falls_through()) {
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
    default: break;
  }
}

// Every other Structural instruction, before it is compiled: the uses of its operands, and
// what ShadowAfter completes once its code produced the values.
Result<void> FunctionCompiler::ShadowBefore(const Instr& instr, ShadowStep& step) {
  using After = ShadowStep::After;
  const Opcode op = instr.op;
  const auto height = static_cast<uint32_t>(stack_.size());
  auto top = [&](uint32_t depth) { return height - 1 - depth; };
  std::vector<uint32_t>& pushed = step.pushed;
  After& after = step.after;
  uint32_t& after_local = step.after_local;
  uint32_t& after_vbits = step.after_vbits;
  const FuncType*& call_type = step.call_type;
  switch (op) {
    case Opcode::Call:
    case Opcode::CallIndirect: {
      call_type =
          op == Opcode::Call ? &module_.func_type(instr.index) : &module_.types[instr.index];
      if (op == Opcode::CallIndirect) EmitVBitsUse(top(0), McUninitUse::Value, 4);
      pushed.assign(call_type->results.size(), kDefinedVBits);  // After::Call fills them in
      // The checker's allocator and client requests return defined values: their result V
      // bits (zeroed by their bodies) need not be read back.
      if (op == Opcode::CallIndirect || !McReturnsDefined(module_, instr.index)) {
        after = After::Call;
      }
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
    case Opcode::LocalGet:
      pushed.push_back(defined_values_.IsDefinedGet(instr.offset) ? kDefinedVBits
                                                                  : local_vbits_[instr.index]);
      break;
    case Opcode::LocalSet:
    case Opcode::LocalTee:
      after_local = local_vbits_[instr.index];
      after_vbits = vshadow_[top(0)];
      if (op == Opcode::LocalTee) pushed.push_back(after_vbits);
      if (after_local != kNoLocal && !defined_values_.IsDeadShadowSet(instr.offset)) {
        after = After::LocalWrite;
      }
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
        load_vbits_local_ = OwnVBits(top(0), t);
        // Followed at once by a local.set/tee: the V bits go into the local's shadow, whose
        // old bits are rescued first (the set then writes none). The address's were tested.
        const std::optional<uint32_t> set = defined_values_.LocalSetAfter(instr.offset);
        if (set && local_vbits_[*set] != kNoLocal) {
          const uint32_t address = vshadow_[top(0)];
          if (IsOwnVBits(top(0), address) && PendingOf(address) != Pending::None) {
            pending_[address] = Pending::None;  // dead: nothing reads it again
          }
          vshadow_[top(0)] = kDefinedVBits;
          load_vbits_local_ = local_vbits_[*set];
          RescueVBits(load_vbits_local_);
        }
        pushed.push_back(load_vbits_local_);
      } else if (IsStore(op)) {
        EmitVBitsUse(top(1), McUninitUse::Value, 4);
        ValType t = SigLetterType(Info(op).signature[1]);
        // Its V bits are tested for 0 inline; only the slow path needs them exact.
        const uint32_t vbits = vshadow_[top(0)];
        store_vbits_pending_ = PendingOf(vbits);
        store_vbits_ = VBitsValue(vbits, ShadowTypeOf(t), /*raw=*/true);
        if (uint32_t origin = OriginLocal(vshadow_[top(0)]); origin != kNoLocal) {
          store_origin_ = VBitsValue(origin, ValType::I32);
        }
      } else {
        return Error::Make(ErrorKind::Internal, fmt::format("no V-bit rule for {}", OpcodeText(op)),
                           instr.offset);
      }
      break;
  }
  return Ok();
}

// After the instruction: the V bits of what it produced (a load's from its slow path, a
// call's from the callee, a global's from its word) and of the local it wrote.
void FunctionCompiler::ShadowAfter(const Instr& instr, const ShadowStep& step) {
  using After = ShadowStep::After;
  auto top = [&](uint32_t depth) { return static_cast<uint32_t>(stack_.size()) - 1 - depth; };
  const uint32_t after_local = step.after_local;
  const uint32_t after_vbits = step.after_vbits;
  const FuncType* call_type = step.call_type;
  switch (step.after) {
    case After::None: break;
    case After::Load: {
      uint32_t slot = top(0);
      if (load_vbits_in_place_) {  // EmitShadowCheck wrote the local itself
        if (vshadow_[slot] < pending_.size()) pending_[vshadow_[slot]] = Pending::None;
        break;
      }
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
        // A pending completion moves with the bits: a pointer kept in a local and then used
        // as an address is never smeared.
        const Pending kind = PendingOf(after_vbits);
        raw_vbits_ = kind;
        PushVBits(after_vbits, st);
        raw_vbits_ = Pending::None;
        SetVBits(after_local, OriginLocal(after_vbits));
        if (kind != Pending::None) {
          SetPending(after_local, kind);
          if (instr.op == Opcode::LocalSet &&
              IsOwnVBits(static_cast<uint32_t>(stack_.size()), after_vbits)) {
            pending_[after_vbits] = Pending::None;  // popped: the local has it now
          }
          // local.tee's value reads the local from now on, so it is completed once at most.
          if (instr.op == Opcode::LocalTee && vshadow_.back() == after_vbits &&
              IsOwnVBits(static_cast<uint32_t>(vshadow_.size() - 1), after_vbits)) {
            vshadow_.back() = after_local;
            pending_[after_vbits] = Pending::None;
          }
        }
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
}

}  // namespace wasmgrind::jit
