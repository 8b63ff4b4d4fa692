// ReturnAddressDepot: the interned backtrace of each chain of native return addresses seen at
// an allocator call (AddressSanitizer's StackDepot idea: key on raw PCs).
//
// Every malloc and free records its backtrace. Turning each return address into a wasm frame
// and interning the frames costs a lookup per frame and a second hash; a program allocates from
// a few thousand distinct stacks at most, over and over. The runtime walks the raw return
// addresses (no symbolization, no conversion) and asks the depot; only a chain it has not seen
// is converted and interned in the BacktraceStore. A chain of return addresses decides the
// frames exactly (the code does not move while its instance lives), so the answer is the one
// the full walk would give.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "memcheck/backtrace.h"

namespace wasmgrind::memcheck {

class ReturnAddressDepot {
 public:
  ReturnAddressDepot();

  // The id recorded for `chain`; if there is none, records make_id()'s (a BacktraceId) first.
  template <typename MakeId>
  BacktraceId FindOrInsert(std::span<const uint64_t> chain, MakeId&& make_id) {
    if (chain.empty()) return make_id();
    const uint64_t hash = Hash(chain);
    size_t slot = Probe(chain, hash);
    if (table_[slot].start != 0) return static_cast<BacktraceId>(records_[table_[slot].start]);
    BacktraceId id = make_id();
    Insert(slot, chain, hash, id);
    return id;
  }

  size_t size() const { return starts_.size(); }

 private:
  // 8 bytes, so that the table of a few thousand chains stays small enough for the caches
  // the quarantine's traffic leaves it; the length and id sit in the record, next to the
  // addresses the match compares anyway.
  struct Slot {
    uint32_t tag = 0;    // the hash's high half
    uint32_t start = 0;  // the chain's record in records_; 0: an empty slot
  };

  static uint64_t Hash(std::span<const uint64_t> chain);
  // The slot holding `chain`, or the empty slot where it belongs.
  size_t Probe(std::span<const uint64_t> chain, uint64_t hash) const;
  void Insert(size_t slot, std::span<const uint64_t> chain, uint64_t hash, BacktraceId id);
  void Rehash();

  // Records end to end, each a word {length << 32 | id} and then the chain's addresses.
  // [0] is no record, so that start 0 can mean "empty".
  std::vector<uint64_t> records_;
  std::vector<uint32_t> starts_;  // every record's start, in insertion order, for Rehash ...
  std::vector<uint64_t> hashes_;  // ... and its chain's hash
  std::vector<Slot> table_;       // power-of-two size, at most half full
};

}  // namespace wasmgrind::memcheck
