// MemoryRegistry implementation: linear-memory reservations in a RangeRegistry
// (range_registry.h), which the signal handler searches without locks or allocation.
#include "signals/memory_registry.h"

#include "signals/range_registry.h"

namespace wasmgrind::signals {
namespace {

// Leaked on purpose: handlers on other threads may consult it during static destruction.
RangeRegistry<MemoryRange>& TheRegistry() {
  static auto* registry = new RangeRegistry<MemoryRange>;
  return *registry;
}

}  // namespace

void RegisterMemoryRange(MemoryRange range) { TheRegistry().Register(range); }
void UnregisterMemoryRange(uintptr_t begin) { TheRegistry().Unregister(begin); }

bool FindMemoryRange(uintptr_t address, MemoryRange* out, uint64_t* length) {
  if (!TheRegistry().Find(address, out)) return false;
  *length = out->current_length != nullptr ? *out->current_length : 0;
  return true;
}

}  // namespace wasmgrind::signals
