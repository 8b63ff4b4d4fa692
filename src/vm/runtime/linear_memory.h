// LinearMemory internals: the reservation size and page limits shared by the memory, the
// instantiation code and the runtime calls. The class itself is declared in api.h.
//
// Invariants: `definition()->base` is the start of a kMemoryReservationBytes PROT_NONE
// reservation that never moves; exactly [base, base + current_length) is readable and
// writable; current_length is a whole number of wasm pages <= the memory's maximum.
#pragma once

#include <cstdint>

#include "vm/runtime/api.h"

namespace wasmgrind {

// Any i32 index plus any u32 offset plus the widest access stays inside the reservation, so
// compiled code never bounds-checks: out-of-bounds accesses hit PROT_NONE pages and fault.
inline constexpr uint64_t kMemoryReservationBytes = (8ull << 30) + (64u << 10);

// The effective maximum in pages: the declared max, capped at the 32-bit limit.
uint64_t MaxPages(const MemoryType& type);

}  // namespace wasmgrind
