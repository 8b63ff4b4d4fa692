// WalkJitFrames: the chain of JIT frames from a PC up to the entry trampoline, by frame
// pointers. Every wasm function, entry trampoline and host stub keeps an rbp frame (asmjit
// FuncFrame::setPreservedFP), so [rbp] is the caller's rbp and [rbp + 8] the return address.
//
// Async-signal-safe and defensive: it reads only words in [stack_floor, stack_ceiling), each
// frame pointer must be 8-aligned and strictly above the previous one, and it stops at the first
// return address outside registered JIT code (the host code that entered wasm) or after `max`
// frames. So a corrupt chain ends the walk early instead of faulting.
#pragma once

#include <cstdint>

namespace wasmgrind::signals {

// Writes pc (if in JIT code) then the return addresses of the JIT frames above it to `out`;
// `fp` is the rbp of the frame executing `pc`. Returns the number written.
//
// Without `skipped` the walk stops after `max` frames. With it, a deeper chain is walked to its
// end and `out` keeps both ends: the innermost max - max/4 frames, then the outermost max/4 (the
// program's entry, main, ...; collected in a ring as the walk goes); *skipped is the number of
// frames left out between them (0 if the chain fit).
uint32_t WalkJitFrames(uintptr_t pc, uintptr_t fp, uintptr_t stack_floor, uintptr_t stack_ceiling,
                       uintptr_t* out, uint32_t max, uint32_t* skipped = nullptr);

}  // namespace wasmgrind::signals
