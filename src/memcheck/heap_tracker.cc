// HeapTracker: block bookkeeping, redzones, the quarantine and free verdicts (see
// heap_tracker.h).
#include "memcheck/heap_tracker.h"

#include <algorithm>
#include <limits>

namespace wasmgrind::memcheck {

namespace {

// wasi-libc's malloc returns 16-byte aligned blocks; the user's pointer keeps that.
constexpr uint32_t kDefaultAlignment = 16;

uint64_t RoundUp(uint64_t n, uint64_t to) { return (n + to - 1) / to * to; }

}  // namespace

bool FamilyMatches(AllocFamily family, Deallocator deallocator) {
  switch (family) {
    case AllocFamily::Malloc: return deallocator == Deallocator::Free;
    case AllocFamily::New: return deallocator == Deallocator::Delete;
    case AllocFamily::NewArray: return deallocator == Deallocator::DeleteArray;
    case AllocFamily::Custom:
    case AllocFamily::Mempool: return deallocator == Deallocator::Custom;
  }
  return false;
}

std::optional<AllocationPlan> HeapTracker::PlanAllocation(uint64_t user_size,
                                                          uint32_t alignment) const {
  uint64_t align = std::max(alignment, kDefaultAlignment);
  uint64_t leading = RoundUp(options_.redzone_size, align);
  uint64_t raw = leading + user_size + options_.redzone_size;
  if (user_size > std::numeric_limits<uint32_t>::max() ||
      raw > std::numeric_limits<uint32_t>::max()) {
    return std::nullopt;
  }
  return AllocationPlan{static_cast<uint32_t>(raw), static_cast<uint32_t>(leading)};
}

uint32_t HeapTracker::OnAllocated(uint32_t raw, const AllocationPlan& plan, uint32_t user_size,
                                  AllocFamily family, BacktraceId alloc_site,
                                  ShadowState contents) {
  HeapBlock block;
  block.raw_begin = raw;
  block.raw_end = static_cast<uint32_t>(
      std::min<uint64_t>(uint64_t{raw} + plan.raw_size, std::numeric_limits<uint32_t>::max()));
  block.user_begin = raw + plan.leading;
  block.user_size = user_size;
  block.family = family;
  block.alloc_site = alloc_site;

  // A tracked block overlapping the new one was released behind our back (a free we did not
  // see, e.g. from inside the allocator itself): the allocator's word is final.
  auto it = blocks_.lower_bound(raw);
  if (it != blocks_.begin() && std::prev(it)->second.raw_end > raw) --it;
  while (it != blocks_.end() && it->first < block.raw_end) {
    if (it->second.freed) {
      std::erase(quarantine_, it->first);
      stats_.quarantined_bytes -= it->second.raw_end - it->second.raw_begin;
    } else {
      stats_.live_blocks--;
      stats_.live_bytes -= it->second.user_size;
    }
    it = blocks_.erase(it);
  }

  shadow_.SetRange(block.raw_begin, plan.leading, ShadowState::HeapRedzone);
  shadow_.SetRange(block.user_begin, user_size, contents);
  shadow_.SetRange(block.user_end(), block.raw_end - block.user_end(), ShadowState::HeapRedzone);
  blocks_.emplace(raw, block);
  stats_.allocs++;
  stats_.bytes_allocated += user_size;
  stats_.live_blocks++;
  stats_.live_bytes += user_size;
  return block.user_begin;
}

const HeapBlock* HeapTracker::Covering(uint64_t address) const {
  auto it = blocks_.upper_bound(
      static_cast<uint32_t>(std::min<uint64_t>(address, std::numeric_limits<uint32_t>::max())));
  if (it == blocks_.begin()) return nullptr;
  --it;
  return address < it->second.raw_end ? &it->second : nullptr;
}

const HeapBlock* HeapTracker::FindLive(uint32_t pointer) const {
  const HeapBlock* b = Covering(pointer);
  return b != nullptr && !b->freed && b->user_begin == pointer ? b : nullptr;
}

FreeVerdict HeapTracker::CheckFree(uint32_t pointer, Deallocator deallocator) const {
  if (pointer == 0) return FreeVerdict::NullPointer;
  const HeapBlock* b = Covering(pointer);
  if (b == nullptr || b->user_begin != pointer) return FreeVerdict::InvalidFree;
  if (b->freed) return FreeVerdict::DoubleFree;
  return FamilyMatches(b->family, deallocator) ? FreeVerdict::Freed : FreeVerdict::Mismatched;
}

FreeOutcome HeapTracker::OnFree(uint32_t pointer, Deallocator deallocator, BacktraceId free_site) {
  FreeOutcome out;
  out.verdict = CheckFree(pointer, deallocator);
  if (out.verdict == FreeVerdict::NullPointer) return out;
  stats_.frees++;  // Valgrind counts every non-null free, good or bad
  if (out.verdict == FreeVerdict::InvalidFree) {
    if (auto d = Describe(pointer)) out.block = d->block;
    return out;
  }
  HeapBlock& b = blocks_.at(Covering(pointer)->raw_begin);
  out.block = b;
  if (out.verdict == FreeVerdict::DoubleFree) return out;

  b.freed = true;
  b.free_site = free_site;
  shadow_.SetRange(b.user_begin, b.user_size, ShadowState::HeapFreed);
  quarantine_.push_back(b.raw_begin);
  stats_.live_blocks--;
  stats_.live_bytes -= b.user_size;
  stats_.quarantined_bytes += b.raw_end - b.raw_begin;
  EvictFromQuarantine(out.release);
  return out;
}

void HeapTracker::EvictFromQuarantine(std::vector<uint32_t>& release) {
  while (stats_.quarantined_bytes > options_.freelist_volume && !quarantine_.empty()) {
    uint32_t raw = quarantine_.front();
    quarantine_.pop_front();
    auto it = blocks_.find(raw);
    const HeapBlock& b = it->second;
    stats_.quarantined_bytes -= b.raw_end - b.raw_begin;
    shadow_.SetRange(b.raw_begin, b.raw_end - b.raw_begin, ShadowState::HeapUnallocated);
    // Client-described blocks (VALGRIND_MALLOCLIKE_BLOCK, pools) belong to no allocator of ours.
    if (b.family != AllocFamily::Custom && b.family != AllocFamily::Mempool) {
      release.push_back(raw);
    }
    blocks_.erase(it);
  }
}

std::optional<BlockDescription> HeapTracker::Describe(uint64_t address) const {
  const HeapBlock* b = Covering(address);
  if (b == nullptr) return std::nullopt;
  BlockDescription d{*b, BlockRelation::Inside, 0};
  if (address < b->user_begin) {
    d.relation = BlockRelation::Before;
    d.distance = b->user_begin - address;
  } else if (address >= b->user_end()) {
    d.relation = BlockRelation::After;
    d.distance = address - b->user_end();
  } else {
    d.distance = address - b->user_begin;
  }
  return d;
}

std::vector<HeapBlock> HeapTracker::LiveBlocks() const {
  std::vector<HeapBlock> out;
  out.reserve(stats_.live_blocks);
  for (const auto& [raw, b] : blocks_) {
    if (!b.freed) out.push_back(b);
  }
  return out;
}

std::string DescribeRelation(const BlockDescription& d) {
  const char* where = d.relation == BlockRelation::Inside   ? "inside"
                      : d.relation == BlockRelation::Before ? "before"
                                                            : "after";
  return std::to_string(d.distance) + " bytes " + where + " a block of size " +
         std::to_string(d.block.user_size) +
         (d.block.freed                            ? " free'd"
          : d.block.family == AllocFamily::Mempool ? " client-defined"
                                                   : " alloc'd");
}

}  // namespace wasmgrind::memcheck
