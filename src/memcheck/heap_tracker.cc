// HeapTracker: block bookkeeping, redzones, the quarantine and free verdicts (see
// heap_tracker.h).
#include "memcheck/heap_tracker.h"

#include <algorithm>
#include <limits>

namespace wasmgrind::memcheck {

namespace {

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

HeapTracker::HeapTracker(ShadowMemory& shadow, HeapOptions options)
    : shadow_(shadow),
      options_(options),
      default_leading_(
          static_cast<uint32_t>(std::min<uint64_t>(RoundUp(options.redzone_size, kDefaultAlignment),
                                                   std::numeric_limits<uint32_t>::max()))) {}

uint32_t HeapTracker::TrackNew(uint32_t raw, const AllocationPlan& plan, uint32_t user_size,
                               AllocFamily family, ShadowState contents, Slot& slot_out) {
  const auto raw_end = static_cast<uint32_t>(
      std::min<uint64_t>(uint64_t{raw} + plan.raw_size, std::numeric_limits<uint32_t>::max()));
  const uint32_t user = raw + plan.leading;
  // Nothing to look for when the allocator is exclusive (HeapOptions).
  if (!options_.allocator_is_exclusive) ForgetOverlapping(raw, raw_end);
  // Redzones around the user's bytes.
  shadow_.PaintBlock(raw, raw_end - raw, ShadowState::HeapRedzone, user, user_size, contents);
  const Slot slot = Track(raw, raw_end, user, user_size, family);
  slot_out = slot;
  if (hint_memory_ != nullptr && slot != kNoSlot && plan.leading >= kHintBytes) {
    const uint32_t hint = slot + 1;
    std::memcpy(hint_memory_ + user - kHintBytes, &hint, kHintBytes);
  }
  stats_.allocs++;
  stats_.bytes_allocated += user_size;
  stats_.live_blocks++;
  stats_.live_bytes += user_size;
  return user;
}

void HeapTracker::ForgetOverlapping(uint32_t raw, uint32_t raw_end) {
  // A tracked block overlapping the new one was released behind our back (a free we did not
  // see, e.g. from inside the allocator itself): the allocator's word is final.
  std::vector<Slot> overlapping;
  if (raw > 0) {
    if (auto below = AtOrBelow(raw - 1); below && slots_[*below].raw_end > raw) {
      overlapping.push_back(*below);
    }
  }
  StartingIn(raw, raw_end, overlapping);
  for (Slot slot : overlapping) {
    const HeapBlock& old = slots_[slot];
    if (old.freed) {
      for (std::deque<Quarantined>& queue : quarantine_) {
        std::erase_if(queue, [&](const Quarantined& q) { return q.raw_begin == old.raw_begin; });
      }
      stats_.quarantined_bytes -= old.raw_end - old.raw_begin;
      if (IsClientBlock(old)) quarantined_client_blocks_--;
    } else {
      stats_.live_blocks--;
      stats_.live_bytes -= old.user_size;
    }
    Untrack(slot);
  }
}

inline HeapTracker::Slot HeapTracker::Track(uint32_t raw, uint32_t raw_end, uint32_t user,
                                            uint32_t user_size, AllocFamily family) {
  Slot slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = slots_.Append(HeapBlock{});
  }
  // Field by field: a record built elsewhere and copied in was read back 16 bytes at a time
  // from where its 4-byte fields had just been stored (a store-forwarding stall per malloc).
  HeapBlock& b = slots_[slot];
  b.raw_begin = raw;
  b.raw_end = raw_end;
  b.user_begin = user;
  b.user_size = user_size;
  b.family = family;
  b.freed = false;
  b.alloc_site = kNoBacktrace;
  b.free_site = kNoBacktrace;
  // Two empty ranges at one address (zero-byte client blocks without redzones): the first
  // record stays, as an ordered map's emplace would keep it.
  bool fresh;
  if (GranuleSet::Holds(raw)) {
    fresh = aligned_slots_.Get(raw) == 0;
    if (fresh) {
      aligned_starts_.Insert(raw);
      aligned_slots_.Set(raw, slot + 1);
    }
  } else {
    fresh = unaligned_starts_.emplace(raw, slot).second;
  }
  if (!fresh) {
    MakeHole(slot);
    return kNoSlot;
  }
  return slot;
}

// Inline: every release from the quarantine makes one (a call cost as much as its work).
inline void HeapTracker::UntrackSlot(uint32_t raw, Slot slot) {
  if (GranuleSet::Holds(raw)) {
    aligned_starts_.Erase(raw);
    aligned_slots_.Set(raw, 0);
  } else {
    unaligned_starts_.erase(raw);
  }
  MakeHole(slot);
}

HeapTracker::Slot HeapTracker::UntrackAt(uint32_t raw) {
  Slot slot;
  if (GranuleSet::Holds(raw)) {
    slot = aligned_slots_.Get(raw) - 1;
  } else {
    slot = unaligned_starts_.find(raw)->second;
  }
  UntrackSlot(raw, slot);
  return slot;
}

std::optional<HeapTracker::Slot> HeapTracker::AtOrBelow(uint64_t address) const {
  std::optional<Slot> best;
  if (std::optional<uint32_t> a = aligned_starts_.AtOrBelow(address)) {
    best = aligned_slots_.Get(*a) - 1;
  }
  auto it = unaligned_starts_.upper_bound(
      static_cast<uint32_t>(std::min<uint64_t>(address, std::numeric_limits<uint32_t>::max())));
  if (it != unaligned_starts_.begin()) {
    --it;
    if (!best || slots_[*best].raw_begin < it->first) best = it->second;
  }
  return best;
}

void HeapTracker::StartingIn(uint64_t begin, uint64_t end, std::vector<Slot>& out) const {
  for (uint64_t from = begin; from < end;) {
    std::optional<uint32_t> a = aligned_starts_.FirstIn(from, end);
    if (!a) break;
    out.push_back(aligned_slots_.Get(*a) - 1);
    from = uint64_t{*a} + 1;
  }
  for (auto it = unaligned_starts_.lower_bound(
           static_cast<uint32_t>(std::min<uint64_t>(begin, std::numeric_limits<uint32_t>::max())));
       it != unaligned_starts_.end() && it->first < end && it->first >= begin; ++it) {
    out.push_back(it->second);
  }
}

std::optional<HeapTracker::Slot> HeapTracker::CoveringSlot(uint64_t address) const {
  std::optional<Slot> slot = AtOrBelow(address);
  if (slot && address < slots_[*slot].raw_end) return slot;
  return std::nullopt;
}

const HeapBlock* HeapTracker::Covering(uint64_t address) const {
  std::optional<Slot> slot = CoveringSlot(address);
  return slot ? &slots_[*slot] : nullptr;
}

HeapTracker::Slot HeapTracker::SlotOf(uint32_t pointer) const {
  // A block found here covers `pointer`, so it is the one CoveringSlot would find (tracked raw
  // ranges are disjoint). Only tracked records cover anything (MakeHole).
  if (const Slot hinted = HintedSlot(pointer); hinted != kNoSlot) {
    const HeapBlock& b = slots_[hinted];
    if (b.user_begin == pointer && pointer < b.raw_end) return hinted;
  }
  if (pointer >= default_leading_ && GranuleSet::Holds(pointer - default_leading_)) {
    if (uint32_t entry = aligned_slots_.Get(pointer - default_leading_); entry != 0) {
      const HeapBlock& b = slots_[entry - 1];
      if (b.user_begin == pointer && pointer < b.raw_end) return entry - 1;
    }
  }
  std::optional<Slot> slot = CoveringSlot(pointer);
  if (slot && slots_[*slot].user_begin == pointer) return *slot;
  return kNoSlot;
}

const HeapBlock* HeapTracker::FindLive(uint32_t pointer) const {
  const Slot slot = SlotOf(pointer);
  return slot != kNoSlot && !slots_[slot].freed ? &slots_[slot] : nullptr;
}

FreeVerdict HeapTracker::CheckFree(uint32_t pointer, Deallocator deallocator) const {
  if (pointer == 0) return FreeVerdict::NullPointer;
  return VerdictOf(SlotOf(pointer), deallocator);
}

FreeOutcome HeapTracker::TrackFree(uint32_t pointer, Deallocator deallocator, Slot& slot_out) {
  FreeOutcome out;
  if (pointer == 0) {
    out.verdict = FreeVerdict::NullPointer;
    return out;
  }
  const Slot slot = SlotOf(pointer);
  out.verdict = VerdictOf(slot, deallocator);
  stats_.frees++;  // Valgrind counts every non-null free, good or bad
  if (out.verdict == FreeVerdict::InvalidFree) {
    if (auto d = Describe(pointer)) out.block = d->block;
    return out;
  }
  HeapBlock& b = slots_[slot];
  out.block = b;
  if (out.verdict == FreeVerdict::DoubleFree) return out;

  b.freed = true;
  slot_out = slot;
  shadow_.SetRange(b.user_begin, b.user_size, ShadowState::HeapFreed);
  std::deque<Quarantined>& queue =
      quarantine_[b.user_size >= options_.freelist_big_blocks ? kBig : kSmall];
  if (b.raw_end - b.raw_begin >= options_.freelist_volume && !queue.empty()) {
    queue.push_front({b.raw_begin, b.raw_end, slot});
  } else {
    queue.push_back({b.raw_begin, b.raw_end, slot});
  }
  if (IsClientBlock(b)) quarantined_client_blocks_++;
  stats_.live_blocks--;
  stats_.live_bytes -= b.user_size;
  stats_.quarantined_bytes += b.raw_end - b.raw_begin;
  EvictFromQuarantine();
  out.release = released_;
  return out;
}

void HeapTracker::PrefetchEvictions() const {
  // The queue holds the range and slot: the shadow, table entry and record of a block a few
  // releases away.
  if (quarantine_[kSmall].size() > kEvictionsAhead) {
    const Quarantined& q = quarantine_[kSmall][kEvictionsAhead];
    __builtin_prefetch(shadow_.base() + q.raw_begin, /*rw=*/1);
    if (GranuleSet::Holds(q.raw_begin)) aligned_slots_.Prefetch(q.raw_begin);
    __builtin_prefetch(&slots_[q.slot], /*rw=*/1);
  }
}

void HeapTracker::EvictFromQuarantine() {
  released_.clear();
  if (stats_.quarantined_bytes > options_.freelist_volume) PrefetchEvictions();
  for (std::deque<Quarantined>& queue : quarantine_) {  // the big blocks first
    while (stats_.quarantined_bytes > options_.freelist_volume && !queue.empty()) {
      Release(queue.front());
      queue.pop_front();
    }
  }
}

void HeapTracker::Release(const Quarantined& q) {
  stats_.quarantined_bytes -= q.raw_end - q.raw_begin;
  shadow_.SetRange(q.raw_begin, q.raw_end - q.raw_begin, ShadowState::HeapUnallocated);
  UntrackSlot(q.raw_begin, q.slot);
  // Client-described blocks (VALGRIND_MALLOCLIKE_BLOCK, pools) belong to no allocator of ours.
  if (quarantined_client_blocks_ != 0 && IsClientBlock(slots_[q.slot])) {
    quarantined_client_blocks_--;
  } else {
    released_.push_back({q.raw_begin, q.raw_end - q.raw_begin});
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
  std::vector<bool> hole(slots_.size(), false);
  for (Slot slot : free_slots_) hole[slot] = true;
  for (Slot slot = 0; slot < slots_.size(); ++slot) {
    if (!hole[slot] && !slots_[slot].freed) out.push_back(slots_[slot]);
  }
  std::sort(out.begin(), out.end(),
            [](const HeapBlock& a, const HeapBlock& b) { return a.raw_begin < b.raw_begin; });
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
