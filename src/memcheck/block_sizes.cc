// BlockSizes (see block_sizes.h).
#include "memcheck/block_sizes.h"

#include <sys/mman.h>

#include <cstdlib>

namespace wasmgrind::memcheck {
namespace {
constexpr size_t kTableBytes = (uint64_t{1} << 32) / BlockSizes::kGranule;
}  // namespace

BlockSizes::BlockSizes() {
  void* p = mmap(nullptr, kTableBytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  // As GranuleTable's: without address space for this the host cannot run the program.
  if (p == MAP_FAILED) abort();
  granules_ = static_cast<uint8_t*>(p);
}

BlockSizes::~BlockSizes() { munmap(granules_, kTableBytes); }

void BlockSizes::Set(uint32_t address, uint32_t size) {
  uint8_t& entry = granules_[address / kGranule];
  if (entry == kLarge) large_.erase(address);
  if (size / kGranule < kLarge) {
    entry = static_cast<uint8_t>(size / kGranule);
  } else {
    entry = kLarge;
    large_[address] = size;
  }
}

}  // namespace wasmgrind::memcheck
