// WasiContext::BindMemory: the WASI layer's only dependency on the runtime's LinearMemory.
// The view reads data() and size_bytes() on every call: memory.grow changes the size
// between calls (the base never moves, but reading both keeps this independent of that).
#include "vm/runtime/api.h"
#include "wasi_context.h"

namespace wasmgrind::wasi {

void WasiContext::BindMemory(LinearMemory* memory) {
  if (memory == nullptr) {
    memory_view_ = nullptr;
    return;
  }
  // The observer (--memcheck's, or null) is the memory's: whoever checks it sees what the
  // host does with it.
  memory_view_ = [memory] {
    return GuestMemory(memory->data(), memory->size_bytes(), memory->host_observer());
  };
}

}  // namespace wasmgrind::wasi
