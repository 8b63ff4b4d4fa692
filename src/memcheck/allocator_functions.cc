// AllocatorFunctions (see allocator_functions.h).
#include "memcheck/allocator_functions.h"

#include <algorithm>
#include <cstring>

namespace wasmgrind::memcheck {
namespace {

constexpr uint32_t kWasiEinval = 28;
constexpr uint32_t kWasiEnomem = 48;

bool IsPowerOfTwo(uint64_t v) { return v != 0 && (v & (v - 1)) == 0; }

}  // namespace

AllocatorFunctions::AllocatorFunctions(MemoryChecker& checker, uint64_t heap_begin,
                                       MemoryView memory, GuestAllocator::GrowMemory grow)
    : checker_(checker),
      memory_(std::move(memory)),
      memory_base_(memory_().data()),
      heap_(heap_begin, memory_().size(),
            [this, grow = std::move(grow)](uint32_t pages) -> std::optional<uint32_t> {
              std::optional<uint32_t> old_pages = grow(pages);
              if (old_pages) {
                uint64_t new_size = (uint64_t{*old_pages} + pages) * GuestAllocator::kPageBytes;
                // Committing the shadow can fail only if the host is out of memory; the
                // allocation then fails as a memory.grow past the maximum would.
                if (!checker_.OnMemoryGrow(new_size, /*by_allocator=*/true)) return std::nullopt;
              }
              return old_pages;
            }) {
  checker_.SetHeapAllocatorExclusive(memory_base_);
}

uint32_t AllocatorFunctions::Allocate(uint64_t size, uint32_t alignment, AllocFamily family,
                                      bool zeroed, const CaptureBacktrace& where) {
  // --alignment above malloc's own 16 bytes applies to every block.
  if (const uint32_t least = checker_.options().alignment; least > 16 && alignment < least) {
    alignment = least;
  }
  std::optional<AllocationPlan> plan = checker_.PlanAllocation(size, alignment);
  if (!plan) return 0;
  std::optional<uint32_t> raw = heap_.Allocate(plan->raw_size, alignment);
  if (!raw) return 0;
  if (alignment == 0) {
    // A program allocating many small blocks gets recycled ones, long cold: warm the next.
    if (std::optional<uint32_t> next = heap_.Upcoming(plan->raw_size)) {
      __builtin_prefetch(memory_base_ + *next + plan->leading, /*rw=*/1);
      checker_.PrefetchBlock(*next);
    }
  }
  uint32_t user =
      checker_.OnAllocated(*raw, *plan, static_cast<uint32_t>(size), family, zeroed, where);
  if (zeroed) {
    // Freed memory is handed out again: calloc's promise must be kept here.
    std::span<uint8_t> memory = memory_();
    std::memset(memory.data() + user, 0, size);
  } else if (const std::optional<uint8_t> fill = checker_.options().malloc_fill) {
    std::memset(memory_().data() + user, *fill, size);  // the bytes stay undefined
  }
  return user;
}

uint32_t AllocatorFunctions::Malloc(uint64_t size, AllocFamily family,
                                    const CaptureBacktrace& where) {
  return Allocate(size, 0, family, /*zeroed=*/false, where);
}

uint32_t AllocatorFunctions::Calloc(uint64_t count, uint64_t size, const CaptureBacktrace& where) {
  if (size != 0 && count > UINT32_MAX / size) return 0;  // the product overflows wasm32
  return Allocate(count * size, 0, AllocFamily::Malloc, /*zeroed=*/true, where);
}

uint32_t AllocatorFunctions::AlignedAlloc(uint64_t alignment, uint64_t size, AllocFamily family,
                                          const CaptureBacktrace& where) {
  if (!IsPowerOfTwo(alignment) || alignment > (uint64_t{1} << 31)) return 0;
  return Allocate(size, static_cast<uint32_t>(alignment), family, /*zeroed=*/false, where);
}

uint32_t AllocatorFunctions::PosixMemalign(uint32_t result_address, uint64_t alignment,
                                           uint64_t size, const CaptureBacktrace& where) {
  if (!IsPowerOfTwo(alignment) || alignment % 4 != 0 || alignment > (uint64_t{1} << 31)) {
    return kWasiEinval;
  }
  // The result pointer is written by the function, as a store of the program's would be.
  if (checker_.CheckRange(AccessKind::Write, result_address, 4, where)) return kWasiEinval;
  std::span<uint8_t> memory = memory_();
  if (uint64_t{result_address} + 4 > memory.size()) return kWasiEinval;
  uint32_t block = Allocate(size, static_cast<uint32_t>(alignment), AllocFamily::Malloc,
                            /*zeroed=*/false, where);
  if (block == 0) return kWasiEnomem;
  memory = memory_();  // the allocation may have grown it
  std::memcpy(memory.data() + result_address, &block, 4);
  return 0;
}

uint32_t AllocatorFunctions::Realloc(uint32_t pointer, uint64_t size,
                                     const CaptureBacktrace& where) {
  if (pointer == 0) return Malloc(size, AllocFamily::Malloc, where);
  const HeapTracker* tracker = checker_.heap();
  FreeVerdict verdict = tracker->CheckFree(pointer, Deallocator::Free);
  if (verdict == FreeVerdict::DoubleFree || verdict == FreeVerdict::InvalidFree) {
    Free(pointer, Deallocator::Free, where);  // reports it; the old pointer stays untouched
    return 0;
  }
  if (size == 0) {
    Free(pointer, Deallocator::Free, where);
    return 0;
  }
  const HeapBlock* old_block = tracker->FindLive(pointer);
  uint32_t old_size = old_block != nullptr ? old_block->user_size : 0;
  uint32_t fresh = Malloc(size, AllocFamily::Malloc, where);
  if (fresh == 0) return 0;  // the old block stays the program's, as C says
  std::span<uint8_t> memory = memory_();
  const uint64_t kept = std::min<uint64_t>(old_size, size);
  std::memmove(memory.data() + fresh, memory.data() + pointer, kept);
  // The kept bytes keep their definedness; the growth stays as malloc left it (undefined).
  checker_.CopyState(fresh, pointer, kept);
  Free(pointer, Deallocator::Free, where);
  return fresh;
}

void AllocatorFunctions::Free(uint32_t pointer, Deallocator deallocator,
                              const CaptureBacktrace& where) {
  FreeOutcome outcome = checker_.OnFree(pointer, deallocator, where);
  const std::optional<uint8_t> fill = checker_.options().free_fill;
  if (fill && outcome.block &&
      (outcome.verdict == FreeVerdict::Freed || outcome.verdict == FreeVerdict::Mismatched)) {
    std::memset(memory_().data() + outcome.block->user_begin, *fill, outcome.block->user_size);
  }
  for (const ReleasedBlock& block : outcome.release) heap_.Free(block.raw_begin, block.raw_size);
}

uint32_t AllocatorFunctions::UsableSize(uint32_t pointer) const {
  const HeapBlock* block = checker_.heap()->FindLive(pointer);
  return block != nullptr ? block->user_size : 0;
}

}  // namespace wasmgrind::memcheck
