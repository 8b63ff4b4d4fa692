// FaultRegistry: which host address ranges hold JIT code, so that the signal handler can tell
// a fault in wasm code (ours: turn it into a trap) from a fault anywhere else (not ours: chain
// to the previous handler or the default action).
//
// Register/Unregister take a lock and publish a new immutable snapshot atomically; the signal
// handler only reads the current snapshot (no locks, no allocation). See range_registry.h.
#pragma once

#include <cstdint>

#include "signals/code_sites.h"

namespace wasmgrind::signals {

struct CodeRange {
  uintptr_t begin = 0;
  uintptr_t end = 0;            // exclusive
  const void* owner = nullptr;  // the CompiledCode (or trampoline block) that owns the range
  // The block's memory-access sites and function starts (offsets from `begin`); null for code
  // that accesses no linear memory (trampolines, host stubs). Must outlive the registration.
  const CodeSites* sites = nullptr;
};

void RegisterCodeRange(CodeRange range);
void UnregisterCodeRange(uintptr_t begin);

// Async-signal-safe: whether `pc` is in registered code; if so and `out` is non-null, copies
// the registration (with its owner) there.
bool FindCodeRange(uintptr_t pc, CodeRange* out = nullptr);

// Installs the SIGSEGV/SIGBUS handlers once per process (idempotent, thread-safe), and an
// alternate signal stack for the calling thread (idempotent per thread).
void InstallHandlers();
void EnsureAltStack();

}  // namespace wasmgrind::signals
