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

#include "result.h"
#include "vmcontext.h"

namespace wasmgrind {

// Where an unwind came from, for reports: the faulting PC and address of a memory fault, or
// the return address into JIT code of an explicit trap's wg_rt_Trap call. 0 when unknown
// (host errors, traps raised by runtime calls).
struct TrapOrigin {
  uintptr_t pc = 0;
  uintptr_t fault_address = 0;
  bool is_fault = false;  // pc is a faulting instruction, not a return address
};

// Runs trampoline(vmctx, code, values) under a new activation; sets the store's stack limit
// from this thread's stack. Returns the trap (kind Trap) or host error (e.g. Exit) on unwind,
// and fills `origin` if given.
Result<void> CallWasm(VMStoreContext* store_context, EntryTrampoline trampoline,
                      VMContext* vmctx, const void* code, VMVal* values,
                      TrapOrigin* origin = nullptr);

// Unwind to the innermost activation. Calling these outside wasm is a bug (aborts).
[[noreturn]] void RaiseTrap(TrapKind kind);
// As RaiseTrap, recording the return address of the JIT code's call (see TrapOrigin).
// `element`, if given, is the table element index the trap is about (named in the message).
[[noreturn]] void RaiseTrapAt(TrapKind kind, uintptr_t return_address,
                              std::optional<uint32_t> element = std::nullopt);
// Moves `error` into the activation, then unwinds. The caller's `error` is left moved-from,
// which owns no memory, so skipping its destructor leaks nothing.
[[noreturn]] void RaiseError(Error&& error);
// The two halves of RaiseError, for callers that must first leave a frame holding objects:
// SetPendingError stores the error and returns; RaisePendingError unwinds with it.
void SetPendingError(Error error);
[[noreturn]] void RaisePendingError();

bool InWasmActivation();

}  // namespace wasmgrind
