// FaultRegistry implementation: the JIT code ranges in a RangeRegistry (range_registry.h),
// which the signal handler searches without locks or allocation.
#include "signals/fault_registry.h"

#include "signals/range_registry.h"

namespace wasmgrind::signals {
namespace {

// Leaked on purpose: handlers on other threads may consult it during static destruction.
RangeRegistry<CodeRange>& TheRegistry() {
  static auto* registry = new RangeRegistry<CodeRange>;
  return *registry;
}

}  // namespace

void RegisterCodeRange(CodeRange range) { TheRegistry().Register(range); }
void UnregisterCodeRange(uintptr_t begin) { TheRegistry().Unregister(begin); }
bool FindCodeRange(uintptr_t pc, CodeRange* out) { return TheRegistry().Find(pc, out); }

}  // namespace wasmgrind::signals
