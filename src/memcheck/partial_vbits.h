// PartialVBits: the bit-level state of the bytes whose shadow is PartlyDefined (0x02,
// shadow_layout.h): a store of a partly undefined value (a bit-field written into an
// uninitialised byte, a flag word with one bit set). Such bytes are rare, so, as Valgrind's
// "secondary V bits table", they live in a sparse table, 8 bytes to an entry, and every other
// byte pays nothing: the table is consulted only for a byte whose shadow says PartlyDefined,
// and an empty table is one test.
//
// Invariant kept by ShadowMemory: every PartlyDefined byte has its bits here. An entry may
// outlive its bytes only until the next repaint of its chunk, which drops it (Forget), so the
// table does not grow with bytes that were freed, repainted or overwritten.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>

namespace wasmgrind::memcheck {

class PartialVBits {
 public:
  bool empty() const { return chunks_.empty(); }
  // Entries (8-byte chunks) held: for tests and memory accounting.
  size_t chunks() const { return chunks_.size(); }

  // The V bits of a PartlyDefined byte (bit set = undefined). A byte with no entry, which
  // the invariant rules out, reads as wholly undefined: never a false "defined".
  uint8_t Get(uint64_t address) const;
  void Set(uint64_t address, uint8_t vbits);

  // [address, address + length) was repainted: drops every chunk touching it none of whose
  // bytes is still PartlyDefined in `shadow` (the shadow's base, `shadow_size` bytes).
  void Forget(uint64_t address, uint64_t length, const uint8_t* shadow, uint64_t shadow_size);

 private:
  static constexpr uint64_t kChunk = 8;
  bool ChunkStillPartial(uint64_t chunk, const uint8_t* shadow, uint64_t shadow_size) const;

  // address / 8 -> the V bits of its 8 bytes, byte i of the value for address 8k + i.
  std::unordered_map<uint64_t, uint64_t> chunks_;
};

}  // namespace wasmgrind::memcheck
