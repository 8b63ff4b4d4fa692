// GuestAllocator (see guest_allocator.h).
#include "memcheck/guest_allocator.h"

#include <algorithm>

namespace wasmgrind::memcheck {
namespace {

constexpr uint64_t kAddressSpace = uint64_t{1} << 32;

uint64_t AlignUp(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

}  // namespace

GuestAllocator::GuestAllocator(uint64_t heap_begin, uint64_t memory_bytes, GrowMemory grow)
    : grow_(std::move(grow)), bins_(kMaxBinned / kMinAlignment + 1) {
  uint64_t begin = AlignUp(heap_begin, kMinAlignment);
  if (begin < memory_bytes) {
    owned_bytes_ = memory_bytes - begin;
    AddFree(begin, memory_bytes);
  }
}

void GuestAllocator::AddFree(uint64_t begin, uint64_t end) {
  if (begin >= end) return;
  free_bytes_ += end - begin;
  // Merge with the free ranges that touch it.
  auto next = free_by_address_.lower_bound(begin);
  if (next != free_by_address_.begin()) {
    auto prev = std::prev(next);
    if (prev->second == begin) {
      begin = prev->first;
      free_by_size_.erase({prev->second - prev->first, prev->first});
      free_by_address_.erase(prev);
    }
  }
  if (next != free_by_address_.end() && next->first == end) {
    end = next->second;
    free_by_size_.erase({next->second - next->first, next->first});
    free_by_address_.erase(next);
  }
  free_by_address_[begin] = end;
  free_by_size_.insert({end - begin, begin});
}

void GuestAllocator::RemoveFree(std::map<uint64_t, uint64_t>::iterator it) {
  free_bytes_ -= it->second - it->first;
  free_by_size_.erase({it->second - it->first, it->first});
  free_by_address_.erase(it);
}

std::optional<uint32_t> GuestAllocator::AllocateFromFree(uint64_t size, uint32_t alignment) {
  // Best fit: the smallest range that holds the block once aligned. Ranges too small for the
  // size alone are skipped by the lower_bound; alignment waste can skip a few more.
  for (auto it = free_by_size_.lower_bound({size, 0}); it != free_by_size_.end(); ++it) {
    uint64_t begin = it->second, end = it->second + it->first;
    uint64_t block = AlignUp(begin, alignment);
    if (block + size > end) continue;
    if (block == begin && block + size < end) {
      // Carved from the front, as nearly every block is while the heap first fills: the
      // range's nodes keep what is left (it still touches no other free range), where
      // removing and adding it cost two host allocations and two frees per block.
      auto by_size = free_by_size_.extract(it);
      by_size.value() = {end - block - size, block + size};
      free_by_size_.insert(std::move(by_size));
      auto at = free_by_address_.find(begin);
      auto next = std::next(at);
      auto by_address = free_by_address_.extract(at);
      by_address.key() = block + size;
      free_by_address_.insert(next, std::move(by_address));
      free_bytes_ -= size;
      return static_cast<uint32_t>(block);
    }
    RemoveFree(free_by_address_.find(begin));
    AddFree(begin, block);  // alignment padding before the block stays free
    AddFree(block + size, end);
    return static_cast<uint32_t>(block);
  }
  return std::nullopt;
}

bool GuestAllocator::GrowFor(uint64_t size, uint32_t alignment) {
  // Enough pages for the block even if the new arena does not continue the last one, and at
  // least 16 pages a time so that small allocations do not grow memory page by page.
  uint64_t bytes = std::max<uint64_t>(size + alignment, 16 * uint64_t{kPageBytes});
  uint64_t pages = AlignUp(bytes, kPageBytes) / kPageBytes;
  if (pages > kAddressSpace / kPageBytes) return false;
  std::optional<uint32_t> old_pages = grow_(static_cast<uint32_t>(pages));
  if (!old_pages) return false;
  uint64_t begin = uint64_t{*old_pages} * kPageBytes;
  uint64_t end = begin + pages * kPageBytes;
  // Pages between our last arena and this one were grown by the program: they stay out of
  // the free ranges (AddFree merges only ranges that touch).
  owned_bytes_ += end - begin;
  AddFree(begin, end);
  return true;
}

std::optional<uint32_t> GuestAllocator::AllocateUnbinned(uint64_t size, uint32_t alignment) {
  alignment = std::max(alignment, kMinAlignment);
  if ((alignment & (alignment - 1)) != 0) return std::nullopt;
  const uint64_t reserved = Reserved(size);
  if (reserved >= kAddressSpace) return std::nullopt;
  if (auto block = AllocateFromFree(reserved, alignment)) return block;
  if (FlushBins()) {
    if (auto block = AllocateFromFree(reserved, alignment)) return block;
  }
  if (!GrowFor(reserved, alignment)) return std::nullopt;
  return AllocateFromFree(reserved, alignment);
}

bool GuestAllocator::FlushBins() {
  if (binned_bytes_ == 0) return false;
  for (size_t i = 0; i < bins_.size(); ++i) {
    const uint64_t size = i * kMinAlignment;
    for (uint32_t block : bins_[i]) {
      free_bytes_ -= size;  // AddFree counts it again
      AddFree(block, block + size);
    }
    bins_[i].clear();
    bins_[i].shrink_to_fit();
  }
  binned_bytes_ = 0;
  return true;
}

}  // namespace wasmgrind::memcheck
