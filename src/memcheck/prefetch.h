// KeepPrefetch: makes the prefetches of an inline function stay in the code.
//
// GCC 12 at -O2 deletes a call to an inline const member function whose only effect is
// __builtin_prefetch (its pure-const analysis finds nothing the call changes), and the
// prefetch with it: the allocator hooks' warming of the books of blocks a few allocations or
// frees ahead compiled to nothing. An empty volatile asm is an effect the compiler must keep,
// and costs no instruction.
#pragma once

namespace wasmgrind::memcheck {

inline void KeepPrefetch() { asm volatile(""); }

}  // namespace wasmgrind::memcheck
