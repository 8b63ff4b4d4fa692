// GranuleSet (see granule_set.h).
#include "memcheck/granule_set.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>

namespace wasmgrind::memcheck {

void GranuleSet::Grow(uint64_t w) {
  // Geometrically, whole summary words at a time.
  size_t words = std::max<size_t>((w + 64) & ~size_t{63}, bits_.size() * 2);
  bits_.resize(words, 0);
  summary_.resize(words / 64, 0);
}

std::optional<uint32_t> GranuleSet::AtOrBelow(uint64_t address) const {
  if (bits_.empty()) return std::nullopt;
  uint64_t g = std::min<uint64_t>(address / kGranule, bits_.size() * 64 - 1);
  uint64_t w = g / 64;
  // The word holding g, masked to bits <= g.
  uint64_t word = bits_[w] & (~uint64_t{0} >> (63 - g % 64));
  if (word == 0) {
    // The nearest non-empty word below w, through the summary.
    uint64_t s = w / 64;
    uint64_t sword = w % 64 == 0 ? 0 : summary_[s] & (~uint64_t{0} >> (64 - w % 64));
    while (sword == 0) {
      if (s == 0) return std::nullopt;
      sword = summary_[--s];
    }
    w = s * 64 + 63 - std::countl_zero(sword);
    word = bits_[w];
  }
  return static_cast<uint32_t>((w * 64 + 63 - std::countl_zero(word)) * kGranule);
}

std::optional<uint32_t> GranuleSet::FirstIn(uint64_t begin, uint64_t end) const {
  uint64_t g = (begin + kGranule - 1) / kGranule;
  const uint64_t g_end = std::min<uint64_t>((end + kGranule - 1) / kGranule, bits_.size() * 64);
  while (g < g_end) {
    uint64_t w = g / 64;
    uint64_t word = bits_[w] & (~uint64_t{0} << (g % 64));
    if (word != 0) {
      uint64_t found = w * 64 + std::countr_zero(word);
      if (found >= g_end) return std::nullopt;
      return static_cast<uint32_t>(found * kGranule);
    }
    g = (w + 1) * 64;
    // Skip empty words 64 at a time through the summary.
    while (g < g_end && g % 4096 == 0 && summary_[g / 4096] == 0) g += 4096;
  }
  return std::nullopt;
}

namespace {
constexpr size_t kTableBytes = ((uint64_t{1} << 32) / GranuleSet::kGranule) * sizeof(uint32_t);
}  // namespace

GranuleTable::GranuleTable() {
  void* p = mmap(nullptr, kTableBytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  // Address space for it is a wasm runtime's smallest worry (each memory reserves 8 GiB):
  // failing here means the host cannot run the program at all.
  if (p == MAP_FAILED) abort();
  values_ = static_cast<uint32_t*>(p);
}

GranuleTable::~GranuleTable() {
  if (values_ != nullptr) munmap(values_, kTableBytes);
}

}  // namespace wasmgrind::memcheck
