// See shadow_segment.h.
#include "vm/shadow_segment.h"

#include <sys/auxv.h>

namespace wasmgrind {

bool ShadowSegmentSupported() {
  // The kernel sets HWCAP2_FSGSBASE (bit 1) when it enabled the instructions (Linux 5.9+).
  constexpr unsigned long kFsgsbase = 1ul << 1;
  static const bool supported = (getauxval(AT_HWCAP2) & kFsgsbase) != 0;
  return supported;
}

}  // namespace wasmgrind
