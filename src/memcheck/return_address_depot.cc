// ReturnAddressDepot (see return_address_depot.h).
#include "memcheck/return_address_depot.h"

#include <cstring>
#include <utility>

namespace wasmgrind::memcheck {

ReturnAddressDepot::ReturnAddressDepot() : table_(1024) {}

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
    // The chain's hash again, from its offsets (the head is zero-padded, as a chain's is).
    uint64_t h = HashHead(e.head, e.size);
    if (e.size > kInline) {
      h = HashTail(h, std::span<const uint32_t>(tails_).subspan(e.tail, e.size - kInline));
    }
    size_t slot = FinalMix(h) & mask;
    while (table[slot].size != 0) slot = (slot + 1) & mask;
    table[slot] = e;
  }
  table_ = std::move(table);
}

}  // namespace wasmgrind::memcheck
