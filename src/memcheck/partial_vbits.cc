// PartialVBits: the sparse V bits of partly defined bytes (see partial_vbits.h).
#include "memcheck/partial_vbits.h"

#include <algorithm>

#include "memcheck/shadow_layout.h"

namespace wasmgrind::memcheck {

uint8_t PartialVBits::Get(uint64_t address) const {
  auto it = chunks_.find(address / kChunk);
  if (it == chunks_.end()) return 0xff;
  return static_cast<uint8_t>(it->second >> (8 * (address % kChunk)));
}

void PartialVBits::Set(uint64_t address, uint8_t vbits) {
  uint64_t& bits = chunks_[address / kChunk];
  unsigned shift = 8 * (address % kChunk);
  bits = (bits & ~(uint64_t{0xff} << shift)) | (uint64_t{vbits} << shift);
}

bool PartialVBits::ChunkStillPartial(uint64_t chunk, const uint8_t* shadow,
                                     uint64_t shadow_size) const {
  uint64_t begin = chunk * kChunk;
  uint64_t end = std::min(begin + kChunk, shadow_size);
  for (uint64_t a = begin; a < end; ++a) {
    if (shadow[a] == ToByte(ShadowState::PartlyDefined)) return true;
  }
  return false;
}

void PartialVBits::Forget(uint64_t address, uint64_t length, const uint8_t* shadow,
                          uint64_t shadow_size) {
  if (chunks_.empty() || length == 0) return;
  uint64_t first = address / kChunk;
  uint64_t last = (address + length - 1) / kChunk;
  // Whichever is fewer: the chunks of the range, or the table's entries.
  if (last - first < chunks_.size()) {
    for (uint64_t c = first; c <= last; ++c) {
      auto it = chunks_.find(c);
      if (it != chunks_.end() && !ChunkStillPartial(c, shadow, shadow_size)) chunks_.erase(it);
    }
    return;
  }
  for (auto it = chunks_.begin(); it != chunks_.end();) {
    if (it->first >= first && it->first <= last &&
        !ChunkStillPartial(it->first, shadow, shadow_size)) {
      it = chunks_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace wasmgrind::memcheck
