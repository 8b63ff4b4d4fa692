// JumpTarget: the per-thread "where to unwind to" slot shared by the signal handler and the
// runtime's trap boundary. The signals library owns only this small record, not the vm's trap
// vocabulary: the handler says *why* it unwound (a memory fault or a stack overflow, with the
// faulting PC and address); the runtime maps that to a trap kind and may use `Embedder` for
// its own unwinds (explicit traps, host errors), with a code of its choosing.
//
// Invariants: `CurrentJumpTarget()` is the innermost active boundary of the calling thread, or
// null outside wasm. Boundaries nest (host functions may call back into wasm): each records
// the previous one and restores it when it returns or is unwound to.
#pragma once

#include <csetjmp>
#include <cstdint>

namespace wasmgrind::signals {

enum class UnwindReason : uint8_t {
  None,
  MemoryFault,    // a SIGSEGV/SIGBUS in JIT code (out-of-bounds linear memory access)
  StackOverflow,  // a fault in JIT code whose address is in this thread's stack guard
  Embedder,       // the runtime unwound on its own; see `embedder_code`
};

struct JumpTarget {
  sigjmp_buf buf;
  JumpTarget* previous = nullptr;
  // Written by whoever unwinds, just before siglongjmp.
  UnwindReason reason = UnwindReason::None;
  uint32_t embedder_code = 0;
  uintptr_t fault_pc = 0;
  uintptr_t fault_address = 0;
};

// Async-signal-safe (a thread_local read with the initial-exec model).
JumpTarget* CurrentJumpTarget();
void SetCurrentJumpTarget(JumpTarget* target);

// The calling thread's stack [lo, hi), from pthread_getattr_np, cached per thread.
struct StackBounds {
  uintptr_t lo = 0;
  uintptr_t hi = 0;
};
StackBounds CurrentThreadStack();

// Wasm code traps with "call stack exhausted" once rsp drops below lo + kStackLimitMargin
// (the runtime puts that in VMStoreContext::stack_limit); the margin is left for runtime
// calls, host functions and the signal handler's bookkeeping.
inline constexpr uintptr_t kStackLimitMargin = 256u << 10;
// A fault in JIT code at an address in [lo - kStackGuardSpan, lo + kStackLimitMargin) is a
// stack overflow (the guard region below the stack, or the margin above it).
inline constexpr uintptr_t kStackGuardSpan = 1u << 20;

}  // namespace wasmgrind::signals
