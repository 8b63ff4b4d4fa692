// Trap boundary implementation (see trap_boundary.h). The per-thread chain itself lives in
// src/signals (jump_target.h) because the signal handler must find the innermost activation
// without knowing anything about the vm; an Activation here extends that record with the
// runtime's own payload (the Error of a host-raised unwind).
#include "vm/runtime/trap_boundary.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>

#include "signals/fault_registry.h"
#include "signals/frame_walker.h"
#include "signals/jump_target.h"
#include "vm/shadow_segment.h"

namespace wasmgrind {
namespace {

using signals::JumpTarget;
using signals::UnwindReason;

// embedder_code values.
constexpr uint32_t kPendingError = 0xffffffffu;  // otherwise: a TrapKind

struct Activation : JumpTarget {
  Error error;                      // valid when embedder_code == kPendingError
  std::optional<uint32_t> element;  // the table element an embedder trap is about
  uintptr_t stack_limit = 0;        // the wasm stack limit of this activation's thread
};

// Owned by the CallWasm frame that pushed it; only that frame destroys it.
Activation* Innermost() {
  Activation* act = static_cast<Activation*>(signals::CurrentJumpTarget());
  if (act == nullptr) {
    static constexpr char kMsg[] = "wasmgrind: trap raised outside of any wasm activation\n";
    ssize_t ignored = write(STDERR_FILENO, kMsg, sizeof(kMsg) - 1);
    (void)ignored;
    abort();
  }
  return act;
}

// The limit for an outermost entry at stack address `sp`: `max_wasm_stack` below it, but never
// into the host's reserve at the bottom of the thread's stack. On a thread too small for both,
// wasm gets what is left (possibly nothing: then every call traps "call stack exhausted").
uintptr_t OutermostStackLimit(uintptr_t sp, uint64_t max_wasm_stack) {
  uintptr_t limit = sp > max_wasm_stack ? sp - max_wasm_stack : 0;
  signals::StackBounds stack = signals::CurrentThreadStack();
  if (stack.lo != 0) limit = std::max(limit, stack.lo + signals::kHostStackReserve);
  return limit;
}

// The record of an explicit unwind from a runtime call (see RaiseTrapAt).
void RecordExplicit(Activation& act, uintptr_t return_address, uintptr_t frame_address) {
  act.record = signals::FaultRecord{};
  act.record.pc = return_address;
  if (return_address == 0 || frame_address == 0) return;
  signals::StackBounds stack = signals::CurrentThreadStack();
  // The runtime call's frame: [frame_address] is the JIT caller's rbp.
  uintptr_t jit_fp = *reinterpret_cast<const uintptr_t*>(frame_address);
  uintptr_t ceiling = stack.hi != 0 ? stack.hi : frame_address + (64u << 20);
  act.record.num_frames =
      signals::WalkJitFrames(return_address, jit_fp, frame_address, ceiling, act.record.frames,
                             signals::kMaxBacktraceFrames, &act.record.frames_skipped);
}

Error ErrorOf(Activation& act) {
  switch (act.reason) {
    case UnwindReason::MemoryFault: return Error::FromTrap(TrapKind::MemoryOutOfBounds);
    case UnwindReason::StackOverflow: return Error::FromTrap(TrapKind::CallStackExhausted);
    case UnwindReason::Embedder:
      if (act.embedder_code == kPendingError) return std::move(act.error);
      // The two element traps name their index (as other engines do); the detail of the other
      // kinds with an operand is TrapInfo::detail's.
      if (act.element &&
          (act.embedder_code == static_cast<uint32_t>(TrapKind::UndefinedElement) ||
           act.embedder_code == static_cast<uint32_t>(TrapKind::UninitializedElement))) {
        TrapKind kind = static_cast<TrapKind>(act.embedder_code);
        return Error::FromTrap(kind,
                               std::string(TrapMessage(kind)) + " " + std::to_string(*act.element));
      }
      return Error::FromTrap(static_cast<TrapKind>(act.embedder_code));
    case UnwindReason::None: break;
  }
  return Error::Make(ErrorKind::Internal, "wasm unwound without a reason");
}

}  // namespace

Result<void> CallWasm(VMStoreContext* store_context, EntryTrampoline trampoline, VMContext* vmctx,
                      const void* code, VMVal* values, TrapRecord* record,
                      const uint8_t* shadow_segment) {
  signals::InstallHandlers();
  signals::EnsureAltStack();
  Activation activation;
  activation.previous = signals::CurrentJumpTarget();
  // Nested entries (a host function calling back into wasm, of this store or another) share
  // the outermost entry's budget: wasm below a host frame below wasm still counts against it.
  activation.stack_limit =
      activation.previous != nullptr
          ? static_cast<Activation*>(activation.previous)->stack_limit
          : OutermostStackLimit(WG_FRAME_ADDRESS(), store_context->max_wasm_stack);
  // Only a change (another entry point or thread) updates every instance's copy.
  if (store_context->stack_limit != activation.stack_limit) {
    store_context->SetStackLimit(activation.stack_limit);
  }
  // The callee's shadow segment for its code, the caller's back after it (shadow_segment.h).
  // Both are set before sigsetjmp and never written after, so they survive a jump back.
  const SegmentSwitch segment(shadow_segment);
  // Only memory is touched between here and a jump back (the activation escapes through the
  // thread-local chain), so nothing in this frame is indeterminate after siglongjmp.
  if (sigsetjmp(activation.buf, 0) == 0) {
    signals::SetCurrentJumpTarget(&activation);
    trampoline(vmctx, code, values, activation.stack_limit);
    signals::SetCurrentJumpTarget(activation.previous);
    return Ok();
  }
  signals::SetCurrentJumpTarget(activation.previous);
  if (record != nullptr) *record = activation.record;
  return ErrorOf(activation);
}

void RaiseTrapAt(TrapKind kind, uintptr_t return_address, uintptr_t frame_address,
                 std::optional<uint32_t> element) {
  Activation* act = Innermost();
  act->element = element;
  act->reason = UnwindReason::Embedder;
  act->embedder_code = static_cast<uint32_t>(kind);
  RecordExplicit(*act, return_address, frame_address);
  act->record.has_element = element.has_value();
  act->record.element = element.value_or(0);
  siglongjmp(act->buf, 1);
}

void SetPendingError(Error error) {
  Activation* act = Innermost();
  act->error = std::move(error);
  act->reason = UnwindReason::Embedder;
  act->embedder_code = kPendingError;
}

void RaisePendingError(uintptr_t return_address, uintptr_t frame_address) {
  Activation* act = Innermost();
  if (act->embedder_code != kPendingError)
    RaiseTrapAt(TrapKind::HostTrap, return_address, frame_address);
  RecordExplicit(*act, return_address, frame_address);
  siglongjmp(act->buf, 1);
}

bool InWasmActivation() { return signals::CurrentJumpTarget() != nullptr; }

}  // namespace wasmgrind
