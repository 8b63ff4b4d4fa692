// JumpTarget: the per-thread "where to unwind to" slot shared by the signal handler and the
// runtime's trap boundary, and the FaultRecord an unwind leaves in it. The signals library owns
// only these small records, not the vm's trap vocabulary: the handler says *why* it unwound (a
// memory fault or a stack overflow) and what it saw (PC, fault address, registers, the memory
// range hit, the JIT frames); the runtime maps that to a trap kind and may use `Embedder` for
// its own unwinds (explicit traps, host errors), with a code of its choosing.
//
// Invariants: `CurrentJumpTarget()` is the innermost active boundary of the calling thread, or
// null outside wasm. Boundaries nest (host functions may call back into wasm): each records
// the previous one and restores it when it returns or is unwound to. The FaultRecord is
// preallocated inside the JumpTarget (on the boundary's stack frame), so filling it from the
// signal handler allocates nothing.
#pragma once

#include <csetjmp>
#include <cstddef>
#include <cstdint>

namespace wasmgrind::signals {

enum class UnwindReason : uint8_t {
  None,
  MemoryFault,    // a SIGSEGV/SIGBUS in JIT code (out-of-bounds linear memory access)
  StackOverflow,  // a fault in JIT code whose address is in this thread's stack guard
  Embedder,       // the runtime unwound on its own; see `embedder_code`
};

// The general registers as the handler saves them from the ucontext, in this order.
enum SavedRegister : uint8_t {
  kRegRax, kRegRbx, kRegRcx, kRegRdx, kRegRsi, kRegRdi, kRegRbp, kRegRsp,
  kRegR8, kRegR9, kRegR10, kRegR11, kRegR12, kRegR13, kRegR14, kRegR15,
  kRegRip, kRegEflags,
  kNumSavedRegisters,
};

inline constexpr uint32_t kMaxBacktraceFrames = 64;

// What an unwind saw. Plain data, filled by whoever unwinds just before siglongjmp.
struct FaultRecord {
  int signal = 0;              // SIGSEGV/SIGBUS for a fault; 0 for an explicit unwind
  uintptr_t pc = 0;            // faulting instruction, or the return address into JIT code
  uintptr_t fault_address = 0; // si_addr of a fault
  bool has_registers = false;
  uint64_t registers[kNumSavedRegisters] = {};
  // The linear memory whose reserved range holds fault_address (see memory_registry.h).
  const void* memory_owner = nullptr;
  uintptr_t memory_base = 0;
  uint64_t memory_size = 0;  // its current length at the time of the fault
  // JIT frames, innermost first: frames[0] == pc, then return addresses (frame_walker.h). A
  // deeper chain keeps both ends: frames_skipped frames were left out before the outermost
  // kMaxBacktraceFrames / 4 (frames[num_frames - kMaxBacktraceFrames / 4] onwards).
  uint32_t num_frames = 0;
  uintptr_t frames[kMaxBacktraceFrames] = {};
  uint32_t frames_skipped = 0;
  // The operand an explicit trap is about: a call_indirect's table index, or the stack pointer
  // value of a C stack overflow.
  bool has_element = false;
  uint32_t element = 0;
};

struct JumpTarget {
  sigjmp_buf buf;
  JumpTarget* previous = nullptr;
  UnwindReason reason = UnwindReason::None;
  uint32_t embedder_code = 0;
  FaultRecord record;
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

// The host's share of a thread's stack: the runtime never sets a wasm stack limit (see
// VMStoreContext::stack_limit) below lo + kHostStackReserve, so this much is always left under
// the deepest wasm frame for what runs there: runtime calls, host functions (and the boundary
// of any wasm they call back into), leaf wasm functions without a stack check, and a trap's
// unwind. (The signal handler runs on its own alternate stack.)
inline constexpr uintptr_t kHostStackReserve = 256u << 10;
// A fault in JIT code at an address in [lo - kStackGuardSpan, lo + kHostStackReserve) is a
// stack overflow (the guard region below the stack, or the reserve above it). Every wasm frame
// is checked before it is allocated, so this is the safety net, not the mechanism.
inline constexpr uintptr_t kStackGuardSpan = 1u << 20;

}  // namespace wasmgrind::signals
