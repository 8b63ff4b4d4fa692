// GuestAllocator: the heap allocator that serves a checked program's malloc, in place of the
// module's own.
//
// Under --memcheck wasmgrind replaces malloc, free, operator new and the rest by name, as
// Valgrind replaces them in native programs, instead of wrapping the module's allocator: the
// module's allocator keeps its bookkeeping (dlmalloc's chunk headers) in linear memory right
// next to the blocks, where a checker must forbid every access, and it reuses freed memory at
// once, where a checker wants a quarantine. This allocator keeps all of its state on the host,
// so every heap byte outside a live block can be unaddressable.
//
// It owns arenas of guest address space: the heap start up to the end of memory, then whatever
// memory.grow adds when it needs more. If the program grows memory itself (sbrk), those pages
// stay the program's and the next arena starts after them. Free ranges are kept by address (to
// merge neighbours) and by size (best fit). Small blocks, most of a program's mallocs, are
// recycled by exact size from bins first; the bins go back into the merged ranges only when
// those cannot serve a request (before memory grows), so they cost no address space.
//
// It keeps no books of its live blocks: its one caller, the checker, records every block it
// hands out (HeapTracker) and says on free how large it was, where a table of the sizes was
// one more cache line to touch on every malloc and free.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

namespace wasmgrind::memcheck {

class GuestAllocator {
 public:
  // Grows linear memory by `pages` 64 KiB pages; returns the old size in pages, or nullopt if
  // the memory cannot grow (memory.grow's -1).
  using GrowMemory = std::function<std::optional<uint32_t>(uint32_t pages)>;

  static constexpr uint32_t kPageBytes = 65536;
  static constexpr uint32_t kMinAlignment = 16;  // wasm32 max_align_t, as wasi-libc's malloc

  // The heap starts at `heap_begin` (e.g. __heap_base) and owns memory up to `memory_bytes`,
  // the memory's current size.
  GuestAllocator(uint64_t heap_begin, uint64_t memory_bytes, GrowMemory grow);

  // `size` bytes (0 is allowed: a unique address) aligned to `alignment` (a power of two;
  // smaller ones mean kMinAlignment). nullopt: out of memory. The binned blocks' path (most
  // calls) is inline.
  std::optional<uint32_t> Allocate(uint64_t size, uint32_t alignment) {
    const uint64_t reserved = Reserved(size);
    if (reserved <= kMaxBinned && alignment <= kMinAlignment) {
      std::vector<uint32_t>& bin = bins_[reserved / kMinAlignment];
      if (!bin.empty()) {
        const uint32_t block = bin.back();
        bin.pop_back();
        binned_bytes_ -= reserved;
        free_bytes_ -= reserved;
        return block;
      }
    }
    return AllocateUnbinned(size, alignment);
  }

  // `address` must be a block Allocate(size, ...) returned and not yet freed. `size` may
  // also be anything Reserved() rounds to the same bytes.
  void Free(uint32_t address, uint64_t size) {
    size = Reserved(size);
    if (size <= kMaxBinned) {
      bins_[size / kMinAlignment].push_back(address);
      binned_bytes_ += size;
      free_bytes_ += size;
      return;
    }
    AddFree(address, uint64_t{address} + size);
  }

  // The block a later Allocate(size, default alignment) will most likely return (a few
  // binned blocks ahead), or nullopt: its memory has long left the caches, so the caller
  // warms it (and its books) while there is time.
  std::optional<uint32_t> Upcoming(uint64_t size) const {
    const uint64_t reserved = Reserved(size);
    if (reserved > kMaxBinned) return std::nullopt;
    const std::vector<uint32_t>& bin = bins_[reserved / kMinAlignment];
    if (bin.size() <= kUpcoming) return std::nullopt;
    return bin[bin.size() - 1 - kUpcoming];
  }

  // The bytes Allocate reserves for a block of `size` bytes.
  static uint64_t Reserved(uint64_t size) {
    // A zero-byte block still gets an address of its own (and a byte, so addresses stay
    // unique).
    return (std::max<uint64_t>(size, 1) + kMinAlignment - 1) & ~uint64_t{kMinAlignment - 1};
  }

  uint64_t owned_bytes() const { return owned_bytes_; }
  uint64_t free_bytes() const { return free_bytes_; }

 private:
  // Reserved sizes up to this many bytes are binned when freed.
  static constexpr uint32_t kMaxBinned = 512;
  // How many allocations ahead Upcoming looks: far enough for its prefetches to arrive.
  static constexpr size_t kUpcoming = 4;

  // Allocate once no bin holds a block of the size.
  std::optional<uint32_t> AllocateUnbinned(uint64_t size, uint32_t alignment);
  std::optional<uint32_t> AllocateFromFree(uint64_t size, uint32_t alignment);
  bool GrowFor(uint64_t size, uint32_t alignment);
  void AddFree(uint64_t begin, uint64_t end);
  void RemoveFree(std::map<uint64_t, uint64_t>::iterator it);
  // Every binned block back into the merged free ranges; false if there was none.
  bool FlushBins();

  GrowMemory grow_;
  std::map<uint64_t, uint64_t> free_by_address_;          // begin -> end
  std::set<std::pair<uint64_t, uint64_t>> free_by_size_;  // (length, begin)
  std::vector<std::vector<uint32_t>> bins_;  // [reserved / 16]: free blocks of that size
  uint64_t binned_bytes_ = 0;
  uint64_t owned_bytes_ = 0;
  uint64_t free_bytes_ = 0;
};

}  // namespace wasmgrind::memcheck
