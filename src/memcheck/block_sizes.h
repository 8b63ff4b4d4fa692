// BlockSizes: the GuestAllocator's live blocks, by start: the bytes each one reserved. A byte
// per 16-byte granule of the wasm32 address space, in a reservation whose pages the kernel
// provides as they are first touched (a sixteenth of the heap it indexes, where a 32-bit entry
// per granule cost a quarter: 12 MB of a heap of half a million small blocks); the rare block
// of 4 KiB or more keeps its size in a map.
#pragma once

#include <cstdint>
#include <unordered_map>

#include "memcheck/prefetch.h"

namespace wasmgrind::memcheck {

class BlockSizes {
 public:
  static constexpr uint32_t kGranule = 16;

  BlockSizes();
  ~BlockSizes();
  BlockSizes(const BlockSizes&) = delete;
  BlockSizes& operator=(const BlockSizes&) = delete;

  // `address` is a multiple of kGranule. 0: no live block starts there.
  uint32_t Get(uint32_t address) const {
    uint8_t granules = granules_[address / kGranule];
    return granules != kLarge ? granules * kGranule : large_.at(address);
  }
  // `size` is a multiple of kGranule; 0 forgets the block.
  void Set(uint32_t address, uint32_t size);
  void Prefetch(uint32_t address) const {
    __builtin_prefetch(&granules_[address / kGranule], 1);
    KeepPrefetch();
  }

 private:
  static constexpr uint8_t kLarge = 255;  // the size is in large_

  uint8_t* granules_ = nullptr;  // size / kGranule
  std::unordered_map<uint32_t, uint32_t> large_;
};

}  // namespace wasmgrind::memcheck
