// ReturnAddressDepot (see return_address_depot.h).
#include "memcheck/return_address_depot.h"

#include <bit>
#include <utility>

namespace wasmgrind::memcheck {

ReturnAddressDepot::ReturnAddressDepot() : records_(1), table_(1024) {}

uint64_t ReturnAddressDepot::Hash(std::span<const uint64_t> chain) {
  // As BacktraceStore::Hash: independent products, an add and a rotate chained, a final mix
  // for the slot's low bits (return addresses differ mostly in their low bits).
  uint64_t h = chain.size();
  for (uint64_t pc : chain) h = std::rotl(h, 23) + pc * 0x9e3779b97f4a7c15ull;
  return FinalMix(h);
}

namespace {

// std::equal on 64-bit words became a call to memcmp; chains are a dozen words, and the loop
// inline (unrolled by the compiler as it likes) is cheaper than the call.
bool SameChain(std::span<const uint64_t> chain, const uint64_t* stored) {
  uint64_t diff = 0;
  for (size_t i = 0; i < chain.size(); ++i) diff |= chain[i] ^ stored[i];
  return diff == 0;
}

}  // namespace

size_t ReturnAddressDepot::Probe(std::span<const uint64_t> chain, uint64_t hash) const {
  const size_t mask = table_.size() - 1;
  const auto tag = static_cast<uint32_t>(hash >> 32);
  size_t slot = hash & mask;
  for (; table_[slot].start != 0; slot = (slot + 1) & mask) {
    const Slot& s = table_[slot];
    if (s.tag == tag && records_[s.start] >> 32 == chain.size() &&
        SameChain(chain, &records_[s.start + 1])) {
      break;
    }
  }
  return slot;
}

void ReturnAddressDepot::Insert(size_t slot, std::span<const uint64_t> chain, uint64_t hash,
                                BacktraceId id) {
  const auto start = static_cast<uint32_t>(records_.size());
  records_.push_back(uint64_t{chain.size()} << 32 | id);
  records_.insert(records_.end(), chain.begin(), chain.end());
  table_[slot] = Slot{static_cast<uint32_t>(hash >> 32), start};
  starts_.push_back(start);
  hashes_.push_back(hash);
  if (starts_.size() * 2 > table_.size()) Rehash();  // keep the load at most 1/2
}

void ReturnAddressDepot::Rehash() {
  std::vector<Slot> table(table_.size() * 2);
  const size_t mask = table.size() - 1;
  for (size_t i = 0; i < starts_.size(); ++i) {
    size_t slot = hashes_[i] & mask;
    while (table[slot].start != 0) slot = (slot + 1) & mask;
    table[slot] = Slot{static_cast<uint32_t>(hashes_[i] >> 32), starts_[i]};
  }
  table_ = std::move(table);
}

}  // namespace wasmgrind::memcheck
