// --memcheck code generation for the C stack pointer (memcheck_calls.h): each global.set of
// it tells the checker, whose MemoryChecker::OnStackPointerMove makes a new frame's bytes
// addressable (and undefined) and a popped frame's, with any leaf frames below it, dead
// (BelowStackPointer). Every call and return of a non-leaf function moves the pointer twice,
// so the common case is done inline, as Valgrind does with its helpers for small constant
// stack-pointer deltas: a move inside the stack region that repaints from 8 to
// kInlineRepaintLimit bytes writes the shadow with 8-byte stores and updates the checker's
// stack state (memcheck::StackShadowState, below the shadow base) as OnStackPointerMove
// would. Everything else (big frames, a move out of the region, a constant, --track-origins,
// which tags the frame with its origin) calls the checker.
//
// The inline repaint does not drop the side table's bits of PartlyDefined bytes it paints
// over (memcheck/partial_vbits.h): they are consulted only for a byte still PartlyDefined, and
// the next repaint by the checker drops them; the stack's chunks bound how many there are.
#include "vm/decode/function_body_reader.h"
#include "vm/jit/function_compiler.h"

namespace wasmgrind::jit {

namespace {
// The largest repaint done inline: bigger frames are rare and memset does them better.
constexpr uint32_t kInlineRepaintLimit = 512;
constexpr uint64_t kDeadFramePattern = uint64_t{kMcShadowBelowStackPointer} * 0x0101010101010101;
}  // namespace

bool FunctionCompiler::IsLeafFrameFunction() {
  if (leaf_frame_) return *leaf_frame_;
  bool reads = false, writes = false;
  if (env_.c_stack) {
    const uint32_t sp = env_.c_stack->global_index;
    FunctionBodyReader reader(module_, module_.codes[defined_index_]);
    Instr instr;
    while (!reader.AtEnd() && reader.Next(instr).ok()) {
      if (instr.op == Opcode::GlobalGet && instr.index == sp) reads = true;
      if (instr.op == Opcode::GlobalSet && instr.index == sp) writes = true;
    }
  }
  leaf_frame_ = reads && !writes;
  return *leaf_frame_;
}

void FunctionCompiler::EmitStackPointerMoved(const JitValue& sp) {
  const auto signature = asmjit::FuncSignatureT<void, uintptr_t, uint64_t, uint64_t>();
  const uint64_t offset = current_offset_;  // names the new frame's origin
  if (sp.is_const() || env_.track_origins || !env_.c_stack) {
    asmjit::InvokeNode* call = InvokeThunk(RuntimeCall::McStackPointerThunk, signature);
    if (sp.is_const()) {
      call->setArg(1, asmjit::imm(static_cast<uint32_t>(sp.bits)));
    } else {
      call->setArg(1, ToGp(sp).r64());
    }
    call->setArg(2, asmjit::imm(offset));
    return;
  }
  const CStackRegion& region = *env_.c_stack;
  const x86::Gp shadow = ShadowBase();
  asmjit::Label slow = cc_.newLabel(), done = cc_.newLabel();
  asmjit::Label down = cc_.newLabel(), fill = cc_.newLabel(), loop = cc_.newLabel();
  x86::Gp now = cc_.newGpd("sp");  // zero-extended: the pointer's upper half may be anything
  cc_.mov(now, ToGp(sp).r32());
  // Outside the region the checker clamps (and the C stack check, if on, traps).
  if (region.bottom == 0) {
    cc_.cmp(now, asmjit::imm(region.top));
  } else {
    x86::Gp in_region = cc_.newGpd("spoff");
    cc_.lea(in_region, x86::ptr(now.r64(), static_cast<int32_t>(0u - region.bottom)));
    cc_.cmp(in_region, asmjit::imm(region.size()));
  }
  cc_.ja(slow);
  const x86::Mem old_mem = x86::dword_ptr(shadow, kMcStackPointerOffset);
  const x86::Mem leaf_mem = x86::dword_ptr(shadow, kMcLeafFramesBeginOffset);
  x86::Gp old = cc_.newGpd("oldsp"), leaf = cc_.newGpd("leafbegin");
  x86::Gp begin = cc_.newGpd("begin"), end = cc_.newGpd("end"), pattern = cc_.newGpq("fill");
  cc_.mov(old, old_mem);
  cc_.mov(leaf, leaf_mem);
  cc_.cmp(now, old);
  cc_.je(done);
  cc_.jb(down);
  // Up: the popped frames and the leaf frames below them, [leaf, now), are dead.
  cc_.mov(begin, leaf);
  cc_.mov(end, now);
  cc_.mov(pattern, asmjit::imm(kDeadFramePattern));
  cc_.mov(leaf, now);
  cc_.jmp(fill);
  // Down: the new frame [now, old) is fresh; leaf frames begin at the lower of the two.
  cc_.bind(down);
  cc_.mov(begin, now);
  cc_.mov(end, old);
  cc_.mov(pattern, x86::qword_ptr(shadow, kMcFreshPatternOffset));
  cc_.cmp(now, leaf);
  cc_.cmovb(leaf, now);
  // [begin, end) of 8 to kInlineRepaintLimit bytes: 8-byte stores, the last one ending at end
  // (it may overlap the one before).
  cc_.bind(fill);
  x86::Gp length = cc_.newGpd("length");
  cc_.mov(length, end);
  cc_.sub(length, begin);
  cc_.sub(length, 8);
  cc_.cmp(length, asmjit::imm(kInlineRepaintLimit - 8));
  cc_.ja(slow);
  x86::Gp cursor = cc_.newGpq("cursor"), last = cc_.newGpq("last");
  cc_.lea(cursor, x86::ptr(shadow, begin.r64()));
  cc_.lea(last, x86::ptr(shadow, end.r64(), 0, -8));
  cc_.bind(loop);
  cc_.mov(x86::qword_ptr(cursor), pattern);
  cc_.add(cursor, 8);
  cc_.cmp(cursor, last);
  cc_.jb(loop);
  cc_.mov(x86::qword_ptr(last), pattern);
  cc_.mov(leaf_mem, leaf);
  cc_.mov(old_mem, now);
  cc_.bind(done);
  Defer([this, slow, done, now, signature, offset] {
    cc_.bind(slow);
    asmjit::InvokeNode* call = InvokeThunk(RuntimeCall::McStackPointerThunk, signature);
    call->setArg(1, now.r64());
    call->setArg(2, asmjit::imm(offset));
    cc_.jmp(done);
  });
}

}  // namespace wasmgrind::jit
