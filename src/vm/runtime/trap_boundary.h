// The trap boundary: the only way into wasm code, and where traps unwind to.
//
// CallWasm pushes an activation on the calling thread's chain (activations nest: a host
// function may call back into wasm), sigsetjmps, and calls the entry trampoline. A trap, from
// a JIT trap stub via wg_rt_Trap, a runtime call, a host callback error, or the SIGSEGV
// handler, siglongjmps to the innermost activation, which pops itself and returns the Error.
//
// Invariant for everything between CallWasm and a raise: no frame being jumped over holds an
// object with a destructor (JIT frames hold none; runtime calls do their work in helpers that
// return a status and raise only from a frame with nothing alive).
#pragma once

#include <optional>

#include "signals/jump_target.h"
#include "vm/result.h"
#include "vm/vmcontext.h"

// For runtime calls entered from JIT code: their return address into JIT code and their own
// frame address (using it makes the compiler give the function an rbp frame, whose saved rbp is
// the JIT caller's), so that RaiseTrapAt can walk the JIT frames from there.
#define WG_CALLER_PC() reinterpret_cast<uintptr_t>(__builtin_return_address(0))
#define WG_FRAME_ADDRESS() reinterpret_cast<uintptr_t>(__builtin_frame_address(0))

namespace wasmgrind {

// What an unwind saw, for reports (see signals/jump_target.h): for a fault (signal != 0) the
// faulting PC and address, registers, the memory hit and the JIT frames; for an explicit trap
// the return address into JIT code and the frames above it. All zero when unknown (e.g. host
// errors raised outside a runtime call).
using TrapRecord = signals::FaultRecord;

// Runs trampoline(vmctx, code, values) under a new activation. Sets the store's stack limit:
// for the outermost activation of the thread, store_context->max_wasm_stack below this frame
// (but not into the host's reserve at the bottom of the thread's stack, see
// signals::kHostStackReserve); nested activations keep the outermost one's. Returns the trap
// (kind Trap) or host error (e.g. Exit) on unwind, and fills `record` if given. The callee's
// code runs with GS's base at `shadow_segment` if it is not null (vm/shadow_segment.h), and
// the caller's is back after.
Result<void> CallWasm(VMStoreContext* store_context, EntryTrampoline trampoline, VMContext* vmctx,
                      const void* code, VMVal* values, TrapRecord* record = nullptr,
                      const uint8_t* shadow_segment = nullptr);

// Unwind to the innermost activation with a trap; calling it outside wasm is a bug. For a
// runtime call entered from JIT code: `return_address` and `frame_address` are that call's
// WG_CALLER_PC() and WG_FRAME_ADDRESS() (0 if unknown); the JIT frames above are recorded for
// the backtrace. `element`, if given, is the table element index the trap is about (named in
// the message).
[[noreturn]] void RaiseTrapAt(TrapKind kind, uintptr_t return_address, uintptr_t frame_address,
                              std::optional<uint32_t> element = std::nullopt);
// Unwinding with an Error, in two halves, for callers that must first leave a frame holding
// objects: SetPendingError stores the error and returns; RaisePendingError unwinds with it.
void SetPendingError(Error error);
// `return_address`/`frame_address` as for RaiseTrapAt (wg_rt_CallHost passes its own).
[[noreturn]] void RaisePendingError(uintptr_t return_address = 0, uintptr_t frame_address = 0);

bool InWasmActivation();

}  // namespace wasmgrind
