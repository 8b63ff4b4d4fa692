// TableTrapDetail: the words for a trap of call_indirect (undefined or null element, type
// mismatch) that say what the program did: which table index it called through, how big the
// table is, and for a mismatch the type the call expected and the type of the function the
// element holds. C programs hit these through bad function pointers, where the spec's text
// ("undefined element", "indirect call type mismatch") and a raw index say little.
#pragma once

#include <cstdint>
#include <string>

#include "vm/runtime/runtime_access.h"
#include "vm/trap.h"

namespace wasmgrind {

// The detail for a trap of `kind` raised by the call_indirect at `wasm_offset` of `instance`'s
// module, about table element `element`; empty if the instruction there is not a call_indirect.
std::string TableTrapDetail(const InstanceImpl& instance, TrapKind kind, uint32_t wasm_offset,
                            uint32_t element);

}  // namespace wasmgrind
