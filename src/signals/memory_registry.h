// MemoryRegistry: which host address ranges are reserved for wasm linear memories, so that the
// signal handler can say which memory a fault hit, where that memory starts and how big it was
// at the time (the runtime then turns the host address into a wasm address).
//
// A range covers a memory's whole reservation: base .. base + reservation, whose tail beyond
// the current length is the PROT_NONE guard. Memories register when created and unregister
// before their reservation is unmapped. Shaped like the code registry (fault_registry.h):
// writers take a mutex and publish an immutable snapshot through an atomic pointer; the handler
// only reads it (no locks, no allocation). Snapshots are reclaimed once no handler is reading.
#pragma once

#include <cstdint>

namespace wasmgrind::signals {

struct MemoryRange {
  uintptr_t begin = 0;                       // the memory's base
  uintptr_t end = 0;                         // exclusive: base + reservation (guard included)
  const void* owner = nullptr;               // the runtime's memory object
  const uint64_t* current_length = nullptr;  // read when a fault hits the range
};

void RegisterMemoryRange(MemoryRange range);
void UnregisterMemoryRange(uintptr_t begin);

// Async-signal-safe: copies the range holding `address` to `out` and the memory's current
// length to `length`; false if no registered memory holds it.
bool FindMemoryRange(uintptr_t address, MemoryRange* out, uint64_t* length);

}  // namespace wasmgrind::signals
