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
//
// A chain is given as 32-bit code offsets (the runtime's: a return address minus one minus
// the start of the module's code), in a buffer zero-padded to kInline words (its length is
// compared too, so a 0 in it is no padding). A heap's quarantine streams
// megabytes through the caches between two visits of one chain, so a lookup costs a cache
// miss at least: the depot keeps it at one, and lets the caller start it early (Begin: the
// hash, and the slot's line on its way) and finish it once other work has hidden the miss
// (Finish). Each table entry is one cache line holding the chain's first kInline offsets
// (zero-padded), its length, hash tag and id; a longer chain (--num-callers above kInline)
// keeps the rest of its offsets in a side array.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <span>
#include <vector>

#include "memcheck/backtrace.h"
#include "memcheck/prefetch.h"

namespace wasmgrind::memcheck {

class ReturnAddressDepot {
 public:
  // The offsets an entry holds itself: Valgrind's default --num-callers.
  static constexpr size_t kInline = 12;

  // A chain as the depot takes it: offsets[0, size), in a buffer zero-padded to at least
  // kInline words (hashed and compared whole, as the entries hold them).
  struct Chain {
    const uint32_t* offsets = nullptr;
    size_t size = 0;
  };
  // A lookup begun: the chain and its final hash.
  struct Pending {
    Chain chain;
    uint64_t mixed = 0;
  };

  ReturnAddressDepot();

  // A chain's hash before the final mix, from its padded head taken as kInline / 2 words
  // (offsets 2i and 2i + 1 the low and high halves of word i): the words' products do not
  // wait on each other, and a walk that builds the words in registers can hash them there
  // (a hash chained offset by offset cost a multiplication's latency per frame; loading the
  // words from where the walk had just stored 4-byte halves, a store-forwarding stall each).
  static constexpr uint64_t kSizeFactor = 0x243f6a8885a308d3ull;
  static constexpr uint64_t kWordFactors[] = {0x9e3779b97f4a7c15ull, 0xc2b2ae3d27d4eb4full,
                                              0x165667b19e3779f9ull, 0xd6e8feb86659fd93ull,
                                              0xff51afd7ed558ccdull, 0xc4ceb9fe1a85ec53ull};
  static_assert(std::size(kWordFactors) == kInline / 2);
  static uint64_t HashHead(const uint32_t* head, size_t size) {
    uint64_t h = size * kSizeFactor;
    for (size_t i = 0; i < kInline / 2; ++i) {
      uint64_t word;
      std::memcpy(&word, head + 2 * i, sizeof word);
      h += word * kWordFactors[i];
    }
    return h;
  }

  // Hashes `chain` and starts loading its slot's line; Finish completes the lookup (the depot
  // must not change in between). `head_hash`: HashHead of the chain, if the caller has it.
  Pending Begin(const Chain& chain) const {
    return Begin(chain, HashHead(chain.offsets, chain.size));
  }
  Pending Begin(const Chain& chain, uint64_t head_hash) const {
    uint64_t h = head_hash;
    if (chain.size > kInline) {
      h = HashTail(h, std::span<const uint32_t>(chain.offsets + kInline, chain.size - kInline));
    }
    const uint64_t mixed = FinalMix(h);
    __builtin_prefetch(&table_[mixed & (table_.size() - 1)]);
    KeepPrefetch();
    return Pending{chain, mixed};
  }
  // The id recorded for the pending chain; if there is none, records make_id()'s (a
  // BacktraceId) first.
  template <typename MakeId>
  BacktraceId Finish(const Pending& pending, MakeId&& make_id) {
    if (pending.chain.size == 0) return make_id();
    size_t slot = Probe(pending.chain, pending.mixed);
    if (table_[slot].size != 0) return table_[slot].id;
    BacktraceId id = make_id();
    Insert(slot, pending.chain, pending.mixed, id);
    return id;
  }
  template <typename MakeId>
  BacktraceId FindOrInsert(const Chain& chain, MakeId&& make_id) {
    return Finish(Begin(chain), make_id);
  }
  // The same for a chain in any buffer (tests, rare callers): padded here.
  template <typename MakeId>
  BacktraceId FindOrInsert(std::span<const uint32_t> offsets, MakeId&& make_id) {
    std::vector<uint32_t> padded(std::max(offsets.size(), kInline), 0);
    std::copy(offsets.begin(), offsets.end(), padded.begin());
    return FindOrInsert(Chain{padded.data(), offsets.size()}, make_id);
  }

  size_t size() const { return size_; }

 private:
  struct alignas(64) Entry {
    uint32_t head[kInline] = {};  // the chain's first offsets, zero-padded
    uint32_t size = 0;            // the chain's length; 0: an empty entry
    uint32_t tag = 0;             // the mixed hash's high half
    BacktraceId id = kNoBacktrace;
    uint32_t tail = 0;  // size > kInline: the rest of the offsets are tails_[tail, ...)
  };
  static_assert(sizeof(Entry) == 64, "one cache line per chain");

  static uint64_t HashTail(uint64_t h, std::span<const uint32_t> offsets) {
    for (uint32_t offset : offsets) h = (h ^ offset) * 0x9e3779b97f4a7c15ull;
    return h;
  }
  static bool Matches(const Entry& e, const Chain& chain, uint32_t tag,
                      const std::vector<uint32_t>& tails) {
    if (e.tag != tag || e.size != chain.size) return false;
    // The whole padded head: a fixed size, which the compiler compares a vector at a time.
    if (std::memcmp(e.head, chain.offsets, sizeof e.head) != 0) return false;
    return chain.size <= kInline ||
           std::equal(chain.offsets + kInline, chain.offsets + chain.size, tails.begin() + e.tail);
  }
  // The slot holding `chain`, or the empty slot where it belongs (`mixed`: its final hash).
  // Inline: every malloc and free asks.
  size_t Probe(const Chain& chain, uint64_t mixed) const {
    const size_t mask = table_.size() - 1;
    const auto tag = static_cast<uint32_t>(mixed >> 32);
    size_t slot = mixed & mask;
    while (table_[slot].size != 0 && !Matches(table_[slot], chain, tag, tails_)) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }
  void Insert(size_t slot, const Chain& chain, uint64_t mixed, BacktraceId id);
  void Rehash();

  std::vector<Entry> table_;     // power-of-two size, at most half full
  std::vector<uint32_t> tails_;  // the offsets of longer chains past their first kInline
  size_t size_ = 0;              // chains held
};

}  // namespace wasmgrind::memcheck
