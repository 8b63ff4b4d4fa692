// ShadowSummary: what is known of each 4 KiB chunk of a shadow memory (shadow_memory.h), so
// that the host's range checks of long buffers (memory.copy and memory.fill, memcpy, memcmp,
// memset of megabytes) need not read every shadow byte again each time. A buffer checked
// once and untouched since is known clean, and its next check reads one byte per chunk.
//
// A chunk's bits only ever under-claim: AllAddressable, every shadow byte is below
// kFirstUnaddressable; AllDefined, every byte is 0 (which implies the other). A scan of a
// whole chunk that finds it so sets them (Learned), and a painter of all its bytes with 0 does
// (Zeroed). Every write through ShadowMemory that may break them clears them first (Wrote):
// an addressable non-zero state clears AllDefined; an unaddressable one clears both.
//
// JIT code writes the shadow itself in two places only: its stores' fast path writes zeros,
// which break nothing, and its inline stack-pointer moves repaint frames in the C stack (vm/jit/
// emit_memcheck_stack.cc) without telling anyone. The stack's chunks are therefore excluded
// (Exclude): nothing is ever learned of them, and checks there read the shadow, as before.
#pragma once

#include <cstdint>
#include <vector>

namespace wasmgrind::memcheck {

class ShadowSummary {
 public:
  static constexpr uint64_t kChunkBytes = 4096;
  static constexpr uint8_t kAllAddressable = 1;
  static constexpr uint8_t kAllDefined = 2;
  static constexpr uint8_t kBoth = kAllAddressable | kAllDefined;

  // The shadow now covers [0, size): chunks past the old size start with nothing known.
  void Resize(uint64_t size);
  // Bytes [begin, end) may be written behind the shadow's back: their chunks are never
  // summarized.
  void Exclude(uint64_t begin, uint64_t end);

  // What is known of chunk c (c < chunks()).
  uint8_t Known(uint64_t chunk) const { return bits_[chunk]; }
  uint64_t chunks() const { return bits_.size(); }

  // A scan found whole chunk c to have `bits`.
  void Learned(uint64_t chunk, uint8_t bits) {
    if (chunk < excluded_first_ || chunk >= excluded_last_) bits_[chunk] |= bits;
  }
  // [address, address + length) was painted with a state: 0 (Defined) makes the chunks it
  // covers whole all-defined; `addressable` (a non-zero state below kFirstUnaddressable)
  // leaves AllAddressable as it was; any other state clears both.
  enum class Paint { Defined, Addressable, Unaddressable };
  void Wrote(uint64_t address, uint64_t length, Paint paint);
  // Wrote for a range shorter than a chunk, inside chunks() (the heap hooks paint a few
  // dozen bytes per call): it covers no chunk whole and touches at most two.
  void WroteShort(uint64_t address, uint64_t length, Paint paint) {
    if (paint == Paint::Defined || length == 0) return;
    const uint8_t keep = paint == Paint::Addressable ? kAllAddressable : 0;
    bits_[address / kChunkBytes] &= keep;
    bits_[(address + length - 1) / kChunkBytes] &= keep;
  }

 private:
  std::vector<uint8_t> bits_;  // per chunk: kAllAddressable | kAllDefined, as known
  // The chunks never summarized, [first, last) (Exclude).
  uint64_t excluded_first_ = 0, excluded_last_ = 0;
};

}  // namespace wasmgrind::memcheck
