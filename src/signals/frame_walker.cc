// WalkJitFrames (see frame_walker.h). SIGNAL HANDLER CODE: called from HandleFault, so it must
// stay async-signal-safe (no allocation, locks or stdio; only FindCodeRange and plain loads).
#include "signals/frame_walker.h"

#include "signals/fault_registry.h"

namespace wasmgrind::signals {

uint32_t WalkJitFrames(uintptr_t pc, uintptr_t fp, uintptr_t stack_floor, uintptr_t stack_ceiling,
                       uintptr_t* out, uint32_t max) {
  uint32_t n = 0;
  if (max == 0 || !FindCodeRange(pc)) return 0;
  out[n++] = pc;
  while (n < max) {
    if (fp < stack_floor || fp % 8 != 0 || fp > stack_ceiling - 16) break;
    const auto* frame = reinterpret_cast<const uintptr_t*>(fp);
    uintptr_t return_address = frame[1];
    if (!FindCodeRange(return_address)) break;  // back in the host: done
    out[n++] = return_address;
    uintptr_t next = frame[0];
    if (next <= fp) break;  // frames must go up the stack
    fp = next;
  }
  return n;
}

}  // namespace wasmgrind::signals
