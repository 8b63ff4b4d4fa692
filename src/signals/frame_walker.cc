// WalkJitFrames (see frame_walker.h). SIGNAL HANDLER CODE: called from HandleFault, so it must
// stay async-signal-safe (no allocation, locks or stdio; only FindCodeRange and plain loads).
#include "signals/frame_walker.h"

#include <algorithm>

#include "signals/fault_registry.h"

namespace wasmgrind::signals {

namespace {

// Room for the outermost frames of a walk that keeps both ends (the ring is rotated in place).
constexpr uint32_t kMaxOuterFrames = 256;

}  // namespace

uint32_t WalkJitFrames(uintptr_t pc, uintptr_t fp, uintptr_t stack_floor, uintptr_t stack_ceiling,
                       uintptr_t* out, uint32_t max, uint32_t* skipped) {
  if (skipped != nullptr) *skipped = 0;
  if (max == 0 || !FindCodeRange(pc)) return 0;
  const uint32_t outer = skipped != nullptr ? std::min(max / 4, kMaxOuterFrames) : 0;
  const uint32_t inner = max - outer;
  // Frames [0, inner) go to out[i]; later ones to the ring out[inner + (i - inner) % outer].
  uint64_t total = 0;
  auto record = [&](uintptr_t address) {
    if (total < inner) {
      out[total] = address;
    } else {
      out[inner + (total - inner) % outer] = address;
    }
    ++total;
  };
  record(pc);
  // Frame pointers strictly increase inside [stack_floor, stack_ceiling), so the walk ends.
  while (total < max || outer != 0) {
    if (fp < stack_floor || fp % 8 != 0 || fp > stack_ceiling - 16) break;
    const auto* frame = reinterpret_cast<const uintptr_t*>(fp);
    uintptr_t return_address = frame[1];
    if (!FindCodeRange(return_address)) break;  // back in the host: done
    record(return_address);
    uintptr_t next = frame[0];
    if (next <= fp) break;  // frames must go up the stack
    fp = next;
  }
  if (total <= max) return static_cast<uint32_t>(total);
  // The ring wrapped: its oldest entry is at (total - inner) % outer. Rotate it into order.
  uintptr_t ring[kMaxOuterFrames];
  const uint64_t oldest = (total - inner) % outer;
  for (uint32_t k = 0; k < outer; ++k) ring[k] = out[inner + (oldest + k) % outer];
  for (uint32_t k = 0; k < outer; ++k) out[inner + k] = ring[k];
  const uint64_t left_out = total - max;
  *skipped = left_out > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(left_out);
  return max;
}

}  // namespace wasmgrind::signals
