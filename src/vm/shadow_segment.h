// The GS segment as the base of --memcheck's shadow (EngineOptions::memcheck_shadow_segment):
// JIT code checks `cmp size ptr gs:[index + offset], 0` with GS's base at the shadow of the
// running instance, so no register holds the shadow base. x86-64 Linux leaves GS to user code
// (TLS is FS), and FSGSBASE lets it be read and written without a system call. The invariant:
// while code of an instance with a shadow segment runs, GS's base is that segment. Host-to-wasm
// entries set it and restore the caller's (trap_boundary.cc); calls between instances switch
// it and switch back (jit/emit_call.cc).
#pragma once

#include <cstdint>

namespace wasmgrind {

// The CPU and the kernel let user code read and write GS's base (rdgsbase, wrgsbase).
bool ShadowSegmentSupported();

inline uintptr_t ReadShadowSegment() {
  uintptr_t base;
  asm volatile("rdgsbase %0" : "=r"(base));
  return base;
}

inline void WriteShadowSegment(uintptr_t base) { asm volatile("wrgsbase %0" : : "r"(base)); }

// For a host-to-wasm entry: sets GS's base to `segment` (null: the callee uses none, nothing
// changes) for its life, then puts the caller's back.
class SegmentSwitch {
 public:
  explicit SegmentSwitch(const uint8_t* segment) {
    if (segment == nullptr) return;
    saved_ = ReadShadowSegment();
    if (saved_ == reinterpret_cast<uintptr_t>(segment)) return;
    WriteShadowSegment(reinterpret_cast<uintptr_t>(segment));
    switched_ = true;
  }
  ~SegmentSwitch() {
    if (switched_) WriteShadowSegment(saved_);
  }
  SegmentSwitch(const SegmentSwitch&) = delete;
  SegmentSwitch& operator=(const SegmentSwitch&) = delete;

 private:
  uintptr_t saved_ = 0;
  bool switched_ = false;
};

}  // namespace wasmgrind
