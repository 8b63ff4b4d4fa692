// AllocatorFunctions: malloc, calloc, realloc, free, the aligned variants, malloc_usable_size
// and C++'s operator new/delete family, as wasmgrind runs them for a checked program (the
// module's own functions of these names are replaced, see guest_allocator.h for why).
//
// Each call asks the MemoryChecker for the block's plan (redzones), takes the raw range from
// the GuestAllocator, and lets the checker record, paint and report; frees go through the
// checker's quarantine, and only blocks it releases go back to the GuestAllocator. Behaviour
// follows Valgrind's replacements: realloc always moves; realloc(p, 0) frees p and returns
// NULL; a bad free is reported and ignored; malloc_usable_size is the size asked for.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>

#include "memcheck/guest_allocator.h"
#include "memcheck/memory_checker.h"

namespace wasmgrind::memcheck {

class AllocatorFunctions {
 public:
  // The memory's current bytes (its base never moves; its size grows).
  using MemoryView = std::function<std::span<uint8_t>()>;

  // `grow` grows memory 0 without telling the checker: this class tells it that the new bytes
  // are unallocated heap.
  AllocatorFunctions(MemoryChecker& checker, uint64_t heap_begin, MemoryView memory,
                     GuestAllocator::GrowMemory grow);

  uint32_t Malloc(uint64_t size, AllocFamily family, const CaptureBacktrace& where);
  uint32_t Calloc(uint64_t count, uint64_t size, const CaptureBacktrace& where);
  uint32_t Realloc(uint32_t pointer, uint64_t size, const CaptureBacktrace& where);
  // memalign, aligned_alloc and aligned operator new: 0 for an alignment that is not a power
  // of two, as wasi-libc's.
  uint32_t AlignedAlloc(uint64_t alignment, uint64_t size, AllocFamily family,
                        const CaptureBacktrace& where);
  // posix_memalign: stores the block at `result_address` and returns 0, or an errno value
  // (wasi's EINVAL 28, ENOMEM 48). The store is checked as the program's own would be.
  uint32_t PosixMemalign(uint32_t result_address, uint64_t alignment, uint64_t size,
                         const CaptureBacktrace& where);
  void Free(uint32_t pointer, Deallocator deallocator, const CaptureBacktrace& where);
  uint32_t UsableSize(uint32_t pointer) const;
  // Free(pointer, ...) follows once its backtrace is taken: MemoryChecker::PrefetchFree.
  void PrefetchFree(uint32_t pointer) const { checker_.PrefetchFree(pointer); }

  const GuestAllocator& heap() const { return heap_; }

 private:
  uint32_t Allocate(uint64_t size, uint32_t alignment, AllocFamily family, bool zeroed,
                    const CaptureBacktrace& where);

  MemoryChecker& checker_;
  MemoryView memory_;
  uint8_t* const memory_base_;  // memory_().data(), which never moves: no call per malloc
  GuestAllocator heap_;
};

}  // namespace wasmgrind::memcheck
