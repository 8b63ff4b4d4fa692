// Control flow: block, loop, if/else, end, br, br_if, br_table, return, unreachable; and the
// parametric drop and select. Values cross edges in each frame's merge registers (see function_compiler.h); a block
// only reached by falling through keeps its values where they are.
#include <algorithm>
#include <memory>
#include <unordered_map>

#include "vm/jit/function_compiler.h"

namespace wasmgrind::jit {

bool FunctionCompiler::EmitControl(const Instr& instr, const FunctionValidator& validator) {
  switch (instr.op) {
    case Opcode::Unreachable:
      cc_.jmp(TrapStub(TrapKind::Unreachable));
      DropFrameValues();
      return true;
    case Opcode::Nop: return true;
    case Opcode::Block: EnterBlock(Opcode::Block, validator); return true;
    case Opcode::Loop: EnterBlock(Opcode::Loop, validator); return true;
    case Opcode::If: EmitIf(validator); return true;
    case Opcode::Else: EmitElse(); return true;
    case Opcode::End: EmitEnd(); return true;
    case Opcode::Br:
      EmitBranch(frames_[frames_.size() - 1 - instr.index]);
      DropFrameValues();
      return true;
    case Opcode::BrIf: EmitBrIf(instr.index); return true;
    case Opcode::BrTable: EmitBrTable(instr); return true;
    case Opcode::Return:
      EmitBranch(frames_[0]);
      DropFrameValues();
      return true;
    default: return false;
  }
}

bool FunctionCompiler::EmitParametric(const Instr& instr) {
  switch (instr.op) {
    case Opcode::Drop: Pop(); return true;
    case Opcode::Select:
    case Opcode::SelectT: EmitSelect(); return true;
    default: return false;
  }
}

void FunctionCompiler::EnterBlock(Opcode kind, const FunctionValidator& validator) {
  MaterializeAliases(kNoLocal);
  const auto& vf = validator.frames().back();
  Frame frame;
  frame.kind = kind;
  frame.params = vf.params;
  frame.results = vf.results;
  frame.base = static_cast<uint32_t>(stack_.size() - frame.params.size());
  frame.label = cc_.newLabel();
  if (kind == Opcode::Loop) {
    CloseOpenLoops();
    frame.copies = std::make_shared<std::vector<LocalCopy>>();
    // A loop with a call makes no copies at all: a copy made before the call is live across
    // it, and asmjit's allocator, which does not prefer callee-saved registers for such values,
    // spills and reloads it around every call (sort's comparator loops), while the local's own
    // register may well be callee-saved.
    frame.copies_closed =
        std::binary_search(loops_with_calls_.begin(), loops_with_calls_.end(), current_offset_);
    // The header is a merge point: params live in the loop's merge registers.
    EnsureMerge(frame);
    MoveToMerge(frame);
    for (size_t i = 0; i < frame.params.size(); ++i) {
      stack_[frame.base + i] = JitValue::Temp(frame.params[i], frame.merge[i]);
    }
    frame.pre_header = cc_.cursor();  // MemoryBase() may put the loop's copy here
    cc_.bind(frame.label);
    loop_frames_.push_back(static_cast<uint32_t>(frames_.size()));
  }
  frames_.push_back(std::move(frame));
}

void FunctionCompiler::EmitIf(const FunctionValidator& validator) {
  JitValue cond = Pop();
  MaterializeAliases(kNoLocal);
  const auto& vf = validator.frames().back();
  Frame frame;
  frame.kind = Opcode::If;
  frame.params = vf.params;
  frame.results = vf.results;
  frame.base = static_cast<uint32_t>(stack_.size() - frame.params.size());
  frame.label = cc_.newLabel();
  frame.else_label = cc_.newLabel();
  // The then branch may reuse the params' spill slots: the else branch gets them in registers.
  for (uint32_t i = frame.base; i < stack_.size(); ++i) {
    if (stack_[i].kind == JitValue::Kind::Slot)
      stack_[i] = JitValue::Temp(stack_[i].type, ToReg(stack_[i]));
  }
  frame.saved_params.assign(stack_.begin() + frame.base, stack_.end());
  EmitCondJump(cond, /*jump_if_true=*/false, frame.else_label);
  frames_.push_back(std::move(frame));
}

void FunctionCompiler::EmitElse() {
  Frame& frame = frames_.back();
  if (falls_through_) {
    EnsureMerge(frame);
    MoveToMerge(frame);
    cc_.jmp(frame.label);
    frame.branched = true;
  }
  cc_.bind(frame.else_label);
  frame.has_else = true;
  stack_.resize(frame.base);
  stack_.insert(stack_.end(), frame.saved_params.begin(), frame.saved_params.end());
  alias_floor_ = std::min<uint32_t>(alias_floor_, frame.base);
}

void FunctionCompiler::EmitEnd() {
  Frame& frame = frames_.back();
  if (frame.kind == Opcode::If && !frame.has_else) {
    // The missing else passes the params through as results.
    if (frame.results.empty()) {
      cc_.bind(frame.else_label);
      stack_.resize(frame.base);
    } else {
      if (falls_through_) {
        EnsureMerge(frame);
        MoveToMerge(frame);
        cc_.jmp(frame.label);
      }
      cc_.bind(frame.else_label);
      stack_.resize(frame.base);
      stack_.insert(stack_.end(), frame.saved_params.begin(), frame.saved_params.end());
      EnsureMerge(frame);
      MoveToMerge(frame);
    }
    frame.branched = true;
    falls_through_ = true;  // the implicit else-arm falls through to the end
  }

  if (frames_.size() == 1) {  // the function body
    if (falls_through_) EmitReturnSequence();
    frames_.pop_back();
    stack_.clear();
    FinishFunction();
    return;
  }

  if (frame.kind == Opcode::Loop) {
    // The fall-through exit: the loop's copies of locals go back (see LocalReg).
    if (falls_through_) WriteBackCopies(*frame.copies);
    for (const LocalCopy& c : *frame.copies) locals_[c.local] = c.parent;
  }
  if (frame.kind == Opcode::Loop || !frame.branched) {
    // Only the fallthrough reaches the end: the results stay where they are.
    if (frame.kind == Opcode::Loop) {
      loop_frames_.pop_back();
      loops_closed_ = std::min(loops_closed_, loop_frames_.size());
    }
    uint32_t base = frame.base;
    frames_.pop_back();
    if (!falls_through_) stack_.resize(base);  // dead after it: the enclosing frame's end decides
    return;
  }
  if (falls_through_) {
    EnsureMerge(frame);
    MoveToMerge(frame);
  }
  cc_.bind(frame.label);
  stack_.resize(frame.base);
  alias_floor_ = std::min<uint32_t>(alias_floor_, frame.base);
  for (size_t i = 0; i < frame.results.size(); ++i) PushTemp(frame.results[i], frame.merge[i]);
  frames_.pop_back();
}

void FunctionCompiler::EnsureMerge(Frame& frame) {
  const auto& types = frame.label_types();
  if (frame.merge.size() == types.size()) return;
  frame.merge.clear();
  for (ValType t : types) frame.merge.push_back(NewValueReg(cc_, t));
}

void FunctionCompiler::MoveToMerge(Frame& frame) {
  size_t n = frame.merge.size();
  size_t first = stack_.size() - n;
  // A source that is another slot's merge register would be overwritten before it is read:
  // copy such sources out first (rare: needs values reordered relative to a loop's params).
  for (size_t i = 0; i < n; ++i) {
    JitValue& v = stack_[first + i];
    if (v.kind != JitValue::Kind::Reg) continue;
    for (size_t j = 0; j < n; ++j) {
      if (j != i && frame.merge[j].id() == v.reg.id()) {
        x86::Reg copy = NewValueReg(cc_, v.type);
        MoveValue(copy, v);
        v = JitValue::Temp(v.type, copy);
        break;
      }
    }
  }
  for (size_t i = 0; i < n; ++i) MoveValue(frame.merge[i], stack_[first + i]);
}

void FunctionCompiler::EmitBranch(Frame& frame) {
  if (&frame == &frames_[0]) {
    EmitReturnSequence();
    return;
  }
  EnsureMerge(frame);
  MoveToMerge(frame);
  cc_.jmp(BranchTarget(frame));
  frame.branched = true;
}

asmjit::Label FunctionCompiler::BranchTarget(Frame& frame) {
  std::vector<std::shared_ptr<std::vector<LocalCopy>>> left;  // innermost first
  auto frame_index = static_cast<uint32_t>(&frame - frames_.data());
  for (size_t p = loop_frames_.size(); p-- > 0 && loop_frames_[p] > frame_index;) {
    left.push_back(frames_[loop_frames_[p]].copies);
  }
  if (left.empty()) return frame.label;
  asmjit::Label stub = cc_.newLabel();
  asmjit::Label target = frame.label;
  Defer([this, stub, target, left] {
    cc_.bind(stub);
    for (const auto& copies : left) WriteBackCopies(*copies);
    cc_.jmp(target);
  });
  return stub;
}

void FunctionCompiler::WriteBackCopies(const std::vector<LocalCopy>& copies) {
  for (const LocalCopy& c : copies) {
    MoveValue(c.parent, JitValue::Temp(local_types_[c.local], c.copy));
  }
}

void FunctionCompiler::EmitBrIf(uint32_t depth) {
  JitValue cond = Pop();
  Frame& frame = frames_[frames_.size() - 1 - depth];
  bool in_place = &frame != &frames_[0];
  if (in_place) {
    EnsureMerge(frame);
    for (size_t i = 0; i < frame.merge.size(); ++i) {
      const JitValue& v = stack_[stack_.size() - frame.merge.size() + i];
      if (v.kind != JitValue::Kind::Reg || v.reg.id() != frame.merge[i].id()) in_place = false;
    }
  }
  if (in_place) {
    EmitCondJump(cond, /*jump_if_true=*/true, BranchTarget(frame));
    frame.branched = true;
    return;
  }
  // The moves must only happen on the taken edge.
  asmjit::Label skip = cc_.newLabel();
  EmitCondJump(cond, /*jump_if_true=*/false, skip);
  EmitBranch(frame);
  cc_.bind(skip);
}

void FunctionCompiler::EmitBrTable(const Instr& instr) {
  JitValue index = Pop();
  std::span<const uint32_t> targets = instr.br_targets;
  uint32_t num_cases = static_cast<uint32_t>(targets.size() - 1);
  if (index.is_const()) {
    uint32_t i = std::min(static_cast<uint32_t>(index.bits), num_cases);
    EmitBranch(frames_[frames_.size() - 1 - targets[i]]);
    // The decoder counts every target as reached (LiveCode) and hands over the code after
    // their ends: give those ends their merge values too, though only this edge reaches one.
    for (uint32_t depth : targets) frames_[frames_.size() - 1 - depth].branched = true;
    DropFrameValues();
    return;
  }
  // One edge per distinct depth: straight to the frame's label when nothing has to move,
  // else through a stub that moves the values and jumps.
  struct Edge {
    uint32_t depth;
    asmjit::Label label;
    bool stub;
  };
  std::vector<Edge> edges;
  std::unordered_map<uint32_t, size_t> edge_of_depth;  // many targets: no linear search
  // asmjit's allocator needs every target of an indirect jump to be entered only through it
  // (one shared register assignment), so jump-table targets are always stubs.
  bool use_table = num_cases > 4;
  auto edge_for = [&](uint32_t depth) -> asmjit::Label {
    if (auto it = edge_of_depth.find(depth); it != edge_of_depth.end())
      return edges[it->second].label;
    edge_of_depth[depth] = edges.size();
    Frame& frame = frames_[frames_.size() - 1 - depth];
    bool direct = !use_table && &frame != &frames_[0] && frame.label_types().empty();
    if (direct) frame.branched = true;
    edges.push_back({depth, direct ? BranchTarget(frame) : cc_.newLabel(), !direct});
    return edges.back().label;
  };

  x86::Gp idx = ToGp(index).r32();
  if (!use_table) {
    for (uint32_t i = 0; i < num_cases; ++i) {
      asmjit::Label target = edge_for(targets[i]);
      if (i == 0) {
        cc_.test(idx, idx);
      } else {
        cc_.cmp(idx, asmjit::imm(i));
      }
      cc_.je(target);
    }
    cc_.jmp(edge_for(targets[num_cases]));
  } else {
    JumpTable table;
    table.table = cc_.newLabel();
    for (uint32_t i = 0; i < num_cases; ++i) table.entries.push_back(edge_for(targets[i]));
    size_t num_table_edges = edges.size();
    // The default edge gets its own stub: a block entered both by the bounds check's jae and
    // by the indirect jump trips asmjit's allocator.
    use_table = false;
    edges.push_back({targets[num_cases], cc_.newLabel(), true});
    Frame& fallback_frame = frames_[frames_.size() - 1 - targets[num_cases]];
    if (&fallback_frame != &frames_[0] && fallback_frame.label_types().empty()) {
      edges.back().label = BranchTarget(fallback_frame);
      edges.back().stub = false;
      fallback_frame.branched = true;
    }
    cc_.cmp(idx, asmjit::imm(num_cases));
    cc_.jae(edges.back().label);
    VerifyUpperHalfZero(idx);
    x86::Gp index64 = cc_.newGpq();
    cc_.mov(index64.r32(), idx);  // may be deleted: idx is zero-extended already
    x86::Gp base = cc_.newGpq();
    x86::Gp target = cc_.newGpq();
    cc_.lea(base, x86::ptr(table.table));
    cc_.movsxd(target, x86::dword_ptr(base, index64, 2));
    cc_.add(target, base);
    asmjit::JumpAnnotation* annotation = cc_.newJumpAnnotation();
    for (size_t i = 0; i < num_table_edges; ++i) annotation->addLabel(edges[i].label);
    cc_.jmp(target, annotation);
    jump_tables_.push_back(std::move(table));
  }
  for (const Edge& e : edges) {
    if (!e.stub) continue;
    cc_.bind(e.label);
    EmitBranch(frames_[frames_.size() - 1 - e.depth]);
  }
  DropFrameValues();
}

void FunctionCompiler::EmitCondJump(const JitValue& cond, bool jump_if_true,
                                    const asmjit::Label& target) {
  switch (cond.kind) {
    case JitValue::Kind::Const:
      if ((static_cast<uint32_t>(cond.bits) != 0) == jump_if_true) cc_.jmp(target);
      return;
    case JitValue::Kind::Cond:
      EmitFlags(cond.cond);
      cc_.j(jump_if_true ? cond.cond.cond : x86::negateCond(cond.cond.cond), target);
      return;
    case JitValue::Kind::Reg:
    case JitValue::Kind::Slot: {
      x86::Gp r = ToGp(cond).r32();
      cc_.test(r, r);
      if (jump_if_true) {
        cc_.jnz(target);
      } else {
        cc_.jz(target);
      }
      return;
    }
  }
}

void FunctionCompiler::EmitSelect() {
  JitValue cond = Pop();
  JitValue if_false = Pop();
  JitValue if_true = Pop();
  if (cond.is_const()) {
    Push(static_cast<uint32_t>(cond.bits) != 0 ? if_true : if_false);
    return;
  }
  ValType type = if_true.type;
  x86::Reg dst = TakeReg(if_true);
  x86::Reg other = ToReg(if_false);
  // Everything that may clobber flags is done; now the compare, then the conditional move.
  x86::CondCode pick_other;
  if (cond.kind == JitValue::Kind::Cond) {
    EmitFlags(cond.cond);
    pick_other = x86::negateCond(cond.cond.cond);
  } else {
    x86::Gp c = cond.reg.as<x86::Gp>().r32();
    cc_.test(c, c);
    pick_other = x86::CondCode::kZ;
  }
  if (dst.isGp()) {
    if (type == ValType::I32) {
      cc_.cmov(pick_other, dst.as<x86::Gp>().r32(), other.as<x86::Gp>().r32());
    } else {
      cc_.cmov(pick_other, dst.as<x86::Gp>().r64(), other.as<x86::Gp>().r64());
    }
  } else {
    asmjit::Label keep = cc_.newLabel();
    cc_.j(x86::negateCond(pick_other), keep);
    cc_.movaps(dst.as<x86::Xmm>(), other.as<x86::Xmm>());
    cc_.bind(keep);
  }
  PushTemp(type, dst);
}

}  // namespace wasmgrind::jit
