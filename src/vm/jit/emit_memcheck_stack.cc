// --memcheck code generation for the C stack pointer (memcheck_calls.h): each global.set of
// it tells the checker, whose MemoryChecker::OnStackPointerMove makes a new frame's bytes
// addressable (and undefined) and a popped frame's, with any leaf frames below it, dead
// (BelowStackPointer), as it does leaf frames left below a new frame. Every call and return
// of a non-leaf function moves the pointer twice, so the common case is done inline, as
// Valgrind does with its helpers for small constant stack-pointer deltas: a move inside the
// stack region that repaints from 8 to kInlineRepaintLimit bytes writes the shadow with 8-byte
// stores and updates the checker's stack state (memcheck::StackShadowState, below the shadow
// base) as OnStackPointerMove would. Everything else (big frames, a move out of the region, a
// constant, --track-origins, which tags the frame with its origin) calls the checker.
//
// The inline repaint does not drop the side table's bits of PartlyDefined bytes it paints
// over (memcheck/partial_vbits.h): they are consulted only for a byte still PartlyDefined, and
// the next repaint by the checker drops them; the stack's chunks bound how many there are.
#include <unordered_map>
#include <vector>

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
  uint32_t frame_bytes = 0;
  if (env_.c_stack) {
    const uint32_t sp = env_.c_stack->global_index;
    // The frame size K of `sp - K`: clang's shape at -O1 and up is `global.get sp; i32.const K;
    // i32.sub`; at -O0 both operands pass through locals first. So the pointer and constants
    // are followed through locals and a small operand stack of the straight-line runs of
    // those instructions (anything else starts a new run; the locals keep what they hold).
    struct Known {
      enum Kind : uint8_t { kOther, kStackPointer, kConstant } kind = kOther;
      uint32_t value = 0;
    };
    std::vector<Known> stack;
    std::unordered_map<uint32_t, Known> locals;
    auto pop = [&] {
      Known top;
      if (!stack.empty()) {
        top = stack.back();
        stack.pop_back();
      }
      return top;
    };
    FunctionBodyReader reader(module_, module_.codes[defined_index_]);
    Instr instr;
    while (!reader.AtEnd() && reader.Next(instr).ok()) {
      switch (instr.op) {
        case Opcode::GlobalGet:
          if (instr.index == sp) reads = true;
          stack.push_back({instr.index == sp ? Known::kStackPointer : Known::kOther});
          break;
        case Opcode::I32Const:
          stack.push_back({Known::kConstant, static_cast<uint32_t>(instr.bits)});
          break;
        case Opcode::LocalGet: {
          auto it = locals.find(instr.index);
          stack.push_back(it != locals.end() ? it->second : Known{});
          break;
        }
        case Opcode::LocalSet: locals[instr.index] = pop(); break;
        case Opcode::LocalTee: locals[instr.index] = stack.empty() ? Known{} : stack.back(); break;
        case Opcode::I32Sub: {
          const Known k = pop(), base = pop();
          if (base.kind == Known::kStackPointer && k.kind == Known::kConstant) {
            frame_bytes = std::max(frame_bytes, k.value);
          }
          stack.push_back({});
          break;
        }
        default:
          if (instr.op == Opcode::GlobalSet && instr.index == sp) writes = true;
          stack.clear();
          break;
      }
    }
  }
  leaf_frame_ = reads && !writes;
  leaf_frame_bytes_ = *leaf_frame_ ? frame_bytes : 0;
  return *leaf_frame_;
}

// clang's leaf functions keep their frame below the stack pointer without moving it. The
// checker learns of such a frame from its first access below the pointer (OnLeafFrame, from
// the slow path), which every call after a pop pays again, and a frame written from its top
// down pays once per field: strtok_r's strspn, four times a token. Nor does the slow path see
// a frame deeper than the pointer has ever been, whose bytes are still in their first state
// (the stack is not made dead up front: see MemoryChecker::Create). So where the frame size
// is a constant (the function subtracts it from the pointer it read), reading the pointer
// makes [sp - K, leaf frames' begin) fresh at once, as the pointer's move down would: with
// the same inline stores, or with --track-origins through the checker, which tags the frame
// with this function as its origin. Anything else (out of the region, fewer than 8 new bytes)
// is left to the slow path.
void FunctionCompiler::EmitLeafFrameEntered(const x86::Gp& sp) {
  if (!env_.c_stack || !IsLeafFrameFunction()) return;
  const uint32_t frame = leaf_frame_bytes_;
  if (frame < 8 || frame > kInlineRepaintLimit) return;
  const CStackRegion& region = *env_.c_stack;
  const x86::Gp shadow = ShadowBase();
  asmjit::Label done = cc_.newLabel();
  x86::Gp begin = cc_.newGpd("leafframe");
  cc_.mov(begin, sp.r32());
  cc_.sub(begin, asmjit::imm(frame));  // below 0 it wraps, and is outside the region
  x86::Gp in_region = cc_.newGpd("spoff");
  cc_.lea(in_region, x86::ptr(begin.r64(), static_cast<int32_t>(0u - region.bottom)));
  cc_.cmp(in_region, asmjit::imm(region.size()));
  cc_.ja(done);
  const x86::Mem leaf_mem = x86::dword_ptr(shadow, kMcLeafFramesBeginOffset);
  x86::Gp leaf = cc_.newGpd("leafbegin");
  cc_.mov(leaf, leaf_mem);
  cc_.cmp(begin, leaf);
  cc_.jae(done);  // addressable already (a frame left by an earlier call, maybe this one's)
  if (env_.track_origins) {
    const auto signature = asmjit::FuncSignatureT<void, uintptr_t, uint64_t, uint64_t>();
    asmjit::InvokeNode* call = InvokeThunk(RuntimeCall::McStackPointerThunk, signature);
    call->setArg(1, begin.r64());
    call->setArg(2, asmjit::imm(current_offset_ | kMcLeafFrameEntered));
  } else {
    x86::Gp pattern = cc_.newGpq("fill");
    cc_.mov(pattern, x86::qword_ptr(shadow, kMcFreshPatternOffset));
    EmitStackRepaint(shadow, begin, leaf, pattern, done);
    cc_.mov(leaf_mem, begin);
  }
  cc_.bind(done);
}

void FunctionCompiler::EmitStackRepaint(const x86::Gp& shadow, const x86::Gp& begin,
                                        const x86::Gp& end, const x86::Gp& pattern,
                                        asmjit::Label too_long) {
  // [begin, end) of 8 to kInlineRepaintLimit bytes: 8-byte stores, the last one ending at end
  // (it may overlap the one before).
  asmjit::Label loop = cc_.newLabel();
  x86::Gp length = cc_.newGpd("length");
  cc_.mov(length, end);
  cc_.sub(length, begin);
  cc_.sub(length, 8);
  cc_.cmp(length, asmjit::imm(kInlineRepaintLimit - 8));
  cc_.ja(too_long);
  x86::Gp cursor = cc_.newGpq("cursor"), last = cc_.newGpq("last");
  cc_.lea(cursor, x86::ptr(shadow, begin.r64()));
  cc_.lea(last, x86::ptr(shadow, end.r64(), 0, -8));
  cc_.bind(loop);
  cc_.mov(x86::qword_ptr(cursor), pattern);
  cc_.add(cursor, 8);
  cc_.cmp(cursor, last);
  cc_.jb(loop);
  cc_.mov(x86::qword_ptr(last), pattern);
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
  asmjit::Label down = cc_.newLabel(), fill = cc_.newLabel();
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
  // Down: the new frame [now, old) is fresh. Leaf frames left below it, [leaf, now), are
  // dead (out of line: a function rarely calls a leaf and then pushes a frame).
  asmjit::Label stale = cc_.newLabel(), fresh = cc_.newLabel();
  cc_.bind(down);
  cc_.cmp(leaf, now);
  cc_.jb(stale);
  cc_.bind(fresh);
  cc_.mov(begin, now);
  cc_.mov(end, old);
  cc_.mov(pattern, x86::qword_ptr(shadow, kMcFreshPatternOffset));
  cc_.mov(leaf, now);
  cc_.bind(fill);
  EmitStackRepaint(shadow, begin, end, pattern, slow);
  cc_.mov(leaf_mem, leaf);
  cc_.mov(old_mem, now);
  cc_.bind(done);
  Defer([this, slow, done, stale, fresh, shadow, leaf, now, signature, offset] {
    cc_.bind(stale);
    x86::Gp dead = cc_.newGpq("dead");
    cc_.mov(dead, asmjit::imm(kDeadFramePattern));
    EmitStackRepaint(shadow, leaf, now, dead, slow);
    cc_.jmp(fresh);
    cc_.bind(slow);
    asmjit::InvokeNode* call = InvokeThunk(RuntimeCall::McStackPointerThunk, signature);
    call->setArg(1, now.r64());
    call->setArg(2, asmjit::imm(offset));
    cc_.jmp(done);
  });
}

}  // namespace wasmgrind::jit
