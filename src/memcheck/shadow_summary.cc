// ShadowSummary (see shadow_summary.h).
#include "memcheck/shadow_summary.h"

#include <algorithm>

namespace wasmgrind::memcheck {

namespace {
constexpr uint64_t kChunk = ShadowSummary::kChunkBytes;
}  // namespace

void ShadowSummary::Resize(uint64_t size) {
  const uint64_t chunks = (size + kChunk - 1) / kChunk;
  if (chunks > bits_.size()) bits_.resize(chunks, 0);
}

void ShadowSummary::Exclude(uint64_t begin, uint64_t end) {
  if (begin >= end) return;
  excluded_first_ = begin / kChunk;
  excluded_last_ = (end + kChunk - 1) / kChunk;
  const uint64_t last = std::min<uint64_t>(excluded_last_, bits_.size());
  for (uint64_t c = excluded_first_; c < last; ++c) bits_[c] = 0;
}

void ShadowSummary::Wrote(uint64_t address, uint64_t length, Paint paint) {
  if (length == 0) return;
  const uint64_t end = address + length;
  const uint64_t first = address / kChunk;
  const uint64_t last = std::min<uint64_t>((end + kChunk - 1) / kChunk, bits_.size());
  if (paint == Paint::Defined) {
    // Zeros break nothing; only the chunks painted whole become known all-defined.
    for (uint64_t c = (address + kChunk - 1) / kChunk; c < last && (c + 1) * kChunk <= end; ++c) {
      Learned(c, kBoth);
    }
    return;
  }
  const uint8_t keep = paint == Paint::Addressable ? kAllAddressable : 0;
  for (uint64_t c = first; c < last; ++c) bits_[c] &= keep;
}

}  // namespace wasmgrind::memcheck
