// ReturnAddressDepot (see return_address_depot.h).
#include "memcheck/return_address_depot.h"

#include <cstring>
#include <utility>

namespace wasmgrind::memcheck {

ReturnAddressDepot::ReturnAddressDepot() : table_(1024) {}

uint64_t ReturnAddressDepot::Hash(std::span<const uint32_t> offsets, uint64_t h) {
  for (uint32_t offset : offsets) h = HashStep(h, offset);
  return h;
}

bool ReturnAddressDepot::Matches(const Entry& e, const Chain& chain, uint32_t tag,
                                 const std::vector<uint32_t>& tails) {
  if (e.tag != tag || e.size != chain.size) return false;
  // The whole padded head: a fixed size, which the compiler compares a vector at a time.
  if (std::memcmp(e.head, chain.offsets, sizeof e.head) != 0) return false;
  return chain.size <= kInline ||
         std::equal(chain.offsets + kInline, chain.offsets + chain.size, tails.begin() + e.tail);
}

size_t ReturnAddressDepot::Probe(const Chain& chain, uint64_t mixed) const {
  const size_t mask = table_.size() - 1;
  const auto tag = static_cast<uint32_t>(mixed >> 32);
  size_t slot = mixed & mask;
  while (table_[slot].size != 0 && !Matches(table_[slot], chain, tag, tails_)) {
    slot = (slot + 1) & mask;
  }
  return slot;
}

void ReturnAddressDepot::Insert(size_t slot, const Chain& chain, uint64_t mixed, BacktraceId id) {
  Entry& e = table_[slot];
  std::copy_n(chain.offsets, kInline, e.head);
  e.size = static_cast<uint32_t>(chain.size);
  e.tag = static_cast<uint32_t>(mixed >> 32);
  e.id = id;
  if (chain.size > kInline) {
    e.tail = static_cast<uint32_t>(tails_.size());
    tails_.insert(tails_.end(), chain.offsets + kInline, chain.offsets + chain.size);
  }
  if (++size_ * 2 > table_.size()) Rehash();  // keep the load at most 1/2
}

void ReturnAddressDepot::Rehash() {
  std::vector<Entry> table(table_.size() * 2);
  const size_t mask = table.size() - 1;
  for (const Entry& e : table_) {
    if (e.size == 0) continue;
    // The chain's hash again, from its offsets.
    uint64_t h = Hash(std::span<const uint32_t>(e.head, std::min<size_t>(e.size, kInline)));
    if (e.size > kInline) {
      h = Hash(std::span<const uint32_t>(tails_).subspan(e.tail, e.size - kInline), h);
    }
    size_t slot = FinalMix(h) & mask;
    while (table[slot].size != 0) slot = (slot + 1) & mask;
    table[slot] = e;
  }
  table_ = std::move(table);
}

}  // namespace wasmgrind::memcheck
