// Locals, globals, constants and reference instructions. local.get pushes an alias of the
// local's register (no copy); local.set/tee first turns any alias of the old value into a
// copy (MaterializeAliases). Constants stay lazy until a consumer folds or materialises them.
#include <algorithm>

#include "vm/jit/function_compiler.h"

namespace wasmgrind::jit {
namespace {

x86::Mem GlobalCell(const x86::Gp& cell, ValType t) {
  return x86::ptr(cell, 0, ValTypeSize(t) >= 8 ? 8 : 4);
}

}  // namespace

bool FunctionCompiler::EmitVariable(const Instr& instr) {
  switch (instr.op) {
    case Opcode::LocalGet: {
      if (locals_in_memory_) {
        ValType t = local_types_[instr.index];
        x86::Reg r = NewValueReg(cc_, t);
        LoadSlot(cc_, r, t, LocalSlot(instr.index));
        PushTemp(t, r);
        return true;
      }
      ZeroLocalIfNeeded(instr.index);
      JitValue v = JitValue::Temp(local_types_[instr.index], LocalReg(instr.index));
      v.local = instr.index;
      alias_floor_ = std::min<uint32_t>(alias_floor_, stack_.size());
      Push(v);
      return true;
    }
    case Opcode::LocalSet: EmitLocalSet(instr.index, /*tee=*/false); return true;
    case Opcode::LocalTee: EmitLocalSet(instr.index, /*tee=*/true); return true;
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
      if (env_.memcheck && env_.c_stack && instr.index == env_.c_stack->global_index) {
        EmitLeafFrameEntered(r.as<x86::Gp>());
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
      bool stack_pointer = env_.c_stack && instr.index == env_.c_stack->global_index;
      if (imm_ok) {
        cc_.mov(m, asmjit::imm(static_cast<int32_t>(v.bits)));
      } else {
        x86::Reg r = ToReg(v);
        if (stack_pointer && env_.check_c_stack) EmitCStackCheck(r.as<x86::Gp>());
        switch (t) {
          case ValType::I32: cc_.mov(m, r.as<x86::Gp>().r32()); break;
          case ValType::F32: cc_.movss(m, r.as<x86::Xmm>()); break;
          case ValType::F64: cc_.movsd(m, r.as<x86::Xmm>()); break;
          default: cc_.mov(m, r.as<x86::Gp>().r64()); break;
        }
        v = JitValue::Temp(t, r);
      }
      if (stack_pointer && env_.memcheck) EmitStackPointerMoved(v);
      return true;
    }
    default: return false;
  }
}

bool FunctionCompiler::EmitConstant(const Instr& instr) {
  switch (instr.op) {
    case Opcode::I32Const:
      Push(JitValue::Const(ValType::I32, static_cast<uint32_t>(instr.bits)));
      return true;
    case Opcode::I64Const: Push(JitValue::Const(ValType::I64, instr.bits)); return true;
    case Opcode::F32Const:
      Push(JitValue::Const(ValType::F32, static_cast<uint32_t>(instr.bits)));
      return true;
    case Opcode::F64Const: Push(JitValue::Const(ValType::F64, instr.bits)); return true;
    default: return false;
  }
}

bool FunctionCompiler::EmitReference(const Instr& instr) {
  switch (instr.op) {
    case Opcode::RefNull: Push(JitValue::Const(instr.type, 0)); return true;
    case Opcode::RefIsNull:
      EmitEqz(/*wide=*/true);  // a null reference is the word 0
      return true;
    case Opcode::RefFunc:
      PushTemp(ValType::FuncRef, VmctxField(env_.offsets.FuncRef(instr.index)));
      return true;
    default: return false;
  }
}

void FunctionCompiler::EmitLocalSet(uint32_t local, bool tee) {
  if (locals_in_memory_) {
    JitValue v = Pop();
    // A condition would be evaluated twice (store and tee): once, into a register.
    if (v.kind == JitValue::Kind::Cond) v = JitValue::Temp(v.type, ToReg(v));
    StoreValue(LocalSlot(local), v);
    if (tee) Push(v);
    return;
  }
  // In the straight-line prefix every path through here writes the local before any read.
  if (straight_prefix_) unzeroed_[local] = false;
  LocalReg(local);  // a loop's first use may be a write: it still needs the loop's copy
  JitValue v = Pop();
  bool self = v.kind == JitValue::Kind::Reg && v.local == local;
  if (!self) {
    MaterializeAliases(local);
    if (!RetargetLastResult(v, local)) MoveValue(locals_[local], v);
  }
  if (tee) {
    JitValue alias = JitValue::Temp(local_types_[local], locals_[local]);
    alias.local = local;
    alias_floor_ = std::min<uint32_t>(alias_floor_, stack_.size());
    Push(alias);
  }
}

// Each wasm local is one virtual register, live through the whole function, and clang reuses
// locals for unrelated values: asmjit's allocator, which does not weigh uses by loop depth, then
// leaves the locals of the innermost loop in stack slots (matmul). So an innermost loop gets its
// own copy of every local it uses, made before its header, used for every read and write in the
// loop, and written back on every exit (the fall-through at `end` here, branches through
// BranchTarget's stubs). The copy is made at the loop's first use of the local, which is sound
// because until then nothing in the loop touched it: exits compiled earlier write back all the
// copies the loop ends up with. A loop that contains a call makes no copies, and a loop stops
// making copies at its first nested loop (Frame::copies_closed); locals it has not copied then
// stay in their outer registers, which is equally sound.
x86::Reg FunctionCompiler::LocalReg(uint32_t local) {
  if (loop_frames_.empty()) return locals_[local];
  Frame& loop = frames_[loop_frames_.back()];
  if (loops_closed_ == loop_frames_.size() || loop.copies_closed) return locals_[local];
  for (const LocalCopy& c : *loop.copies) {
    if (c.local == local) return locals_[local];
  }
  x86::Reg parent = locals_[local];
  x86::Reg copy = NewValueReg(cc_, local_types_[local]);
  asmjit::BaseNode* resume = cc_.setCursor(loop.pre_header);
  MoveValue(copy, JitValue::Temp(local_types_[local], parent));
  cc_.setCursor(resume == loop.pre_header ? cc_.cursor() : resume);
  loop.copies->push_back({local, copy, parent});
  locals_[local] = copy;
  return copy;
}

// `local.get a; local.get b; i32.mul; local.set c` compiles to `mov t, a; imul t, b` and then
// `mov c, t`; asmjit does not coalesce t with c, so the copy stays (and t needs a register).
// Renaming t to c in the multiply's code removes it. That is only sound when:
//  - t was created by that instruction (so every write of t is in the code being renamed) and
//    no code was emitted since (MaterializeAliases may have copied c's old value);
//  - the code is straight-line plain instructions (no labels, jumps, calls: deferred code or
//    another block might use t);
//  - c's old value is read only by the first instruction, before anything writes it, and t does
//    not appear inside an address.
bool FunctionCompiler::RetargetLastResult(const JitValue& v, uint32_t local) {
  const LastResult last = last_result_;
  last_result_ = {};
  x86::Reg dst = locals_[local];
  if (last.before == nullptr || !v.is_owned_reg() || v.reg.id() != last.reg_id ||
      v.reg.group() != dst.group()) {
    return false;
  }
  // Nothing but labels since (`wasmgrind disas` maps every instruction: a PC label each).
  for (asmjit::BaseNode* node = cc_.cursor(); node != last.last; node = node->prev()) {
    if (node == nullptr || node->type() != asmjit::NodeType::kLabel) return false;
  }
  asmjit::BaseNode* first = last.before->next();
  for (asmjit::BaseNode* node = first;; node = node->next()) {
    if (node == nullptr || node->type() != asmjit::NodeType::kInst) return false;
    auto* inst = node->as<asmjit::InstNode>();
    if (inst->hasExtraReg()) return false;
    for (uint32_t i = 0; i < inst->opCount(); ++i) {
      const asmjit::Operand& op = inst->op(i);
      if (op.isLabel()) return false;
      if (op.isReg() && op.id() == dst.id() && node != first) return false;
      if (op.isMem()) {
        const x86::Mem& m = op.as<x86::Mem>();
        for (uint32_t id : {m.baseId(), m.indexId()}) {
          bool is_reg = id == m.baseId() ? m.hasBaseReg() : m.hasIndexReg();
          if (is_reg && (id == v.reg.id() || (id == dst.id() && node != first))) return false;
        }
      }
    }
    if (node == last.last) break;
  }
  for (asmjit::BaseNode* node = first;;) {
    auto* inst = node->as<asmjit::InstNode>();
    for (uint32_t i = 0; i < inst->opCount(); ++i) {
      asmjit::Operand& op = inst->op(i);
      if (op.isReg() && op.id() == v.reg.id()) op.as<asmjit::BaseReg>().setId(dst.id());
    }
    asmjit::BaseNode* next = node == last.last ? nullptr : node->next();
    // `mov c, c` of the same width is left when t was first copied from c: drop it.
    bool self_move =
        (inst->id() == x86::Inst::kIdMov || inst->id() == x86::Inst::kIdMovaps) &&
        inst->opCount() == 2 && inst->op(0).isReg() && inst->op(1).isReg() &&
        inst->op(0).id() == inst->op(1).id() &&
        inst->op(0).as<asmjit::BaseReg>().size() == inst->op(1).as<asmjit::BaseReg>().size();
    if (self_move) {
      if (cc_.cursor() == node) cc_.setCursor(node->prev());
      cc_.removeNode(node);
    }
    if (next == nullptr) break;
    node = next;
  }
  return true;
}

}  // namespace wasmgrind::jit
