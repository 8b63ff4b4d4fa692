// GranuleSet: a set of 16-byte-aligned wasm32 addresses as a two-level bitmap (a bit per
// granule, and a bit per 64 granules saying "some bit below is set"), so that the nearest
// member at or below an address is a few word scans away; and GranuleTable, a value per
// granule. The heap tracker keeps the start of every block in both: "which block covers this
// address" is the nearest start below it, and its record is one indexed load away (a hash
// map of a million blocks costs a cache miss per lookup; neighbouring blocks share lines here).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace wasmgrind::memcheck {

class GranuleSet {
 public:
  static constexpr uint32_t kGranule = 16;

  static bool Holds(uint32_t address) { return address % kGranule == 0; }

  // `address` must be Holds(). (Inline: every malloc and every release from the quarantine
  // does one.)
  void Insert(uint32_t address) {
    const uint64_t g = address / kGranule, w = g / 64;
    if (w >= bits_.size()) Grow(w);
    bits_[w] |= uint64_t{1} << (g % 64);
    summary_[w / 64] |= uint64_t{1} << (w % 64);
  }
  void Erase(uint32_t address) {
    const uint64_t g = address / kGranule, w = g / 64;
    if (w >= bits_.size()) return;
    bits_[w] &= ~(uint64_t{1} << (g % 64));
    if (bits_[w] == 0) summary_[w / 64] &= ~(uint64_t{1} << (w % 64));
  }

  // The largest member <= address.
  std::optional<uint32_t> AtOrBelow(uint64_t address) const;
  // The smallest member in [begin, end).
  std::optional<uint32_t> FirstIn(uint64_t begin, uint64_t end) const;

 private:
  // Room for word w of bits_ (and its summary bit).
  void Grow(uint64_t w);

  std::vector<uint64_t> bits_;     // bit g % 64 of word g / 64: granule g is a member
  std::vector<uint64_t> summary_;  // bit w % 64 of word w / 64: bits_[w] != 0
};

// A uint32_t per granule of the wasm32 address space, 0 until set, in a reservation whose
// pages the kernel provides (zeroed) as they are first touched: it costs a quarter of the heap
// it indexes at most, and nothing for memory it never sees.
class GranuleTable {
 public:
  GranuleTable();
  ~GranuleTable();
  GranuleTable(const GranuleTable&) = delete;
  GranuleTable& operator=(const GranuleTable&) = delete;
  // Movable, so a HeapTracker is (client_blocks.h keeps one per memory pool in a map).
  GranuleTable(GranuleTable&& other) noexcept : values_(std::exchange(other.values_, nullptr)) {}
  GranuleTable& operator=(GranuleTable&& other) noexcept {
    std::swap(values_, other.values_);
    return *this;
  }

  // `address` must be GranuleSet::Holds().
  uint32_t Get(uint32_t address) const { return values_[address / GranuleSet::kGranule]; }
  void Set(uint32_t address, uint32_t value) { values_[address / GranuleSet::kGranule] = value; }
  void Prefetch(uint32_t address) const {
    __builtin_prefetch(&values_[address / GranuleSet::kGranule], /*rw=*/1);
  }

 private:
  uint32_t* values_ = nullptr;
};

}  // namespace wasmgrind::memcheck
