// ClientBlocks: MALLOCLIKE blocks and memory pools (see client_blocks.h).
#include "memcheck/client_blocks.h"

#include <algorithm>
#include <limits>
#include <vector>

namespace wasmgrind::memcheck {

namespace {

// A block at `address` of `size` bytes with up to `redzone` bytes on each side (clipped at 0
// and at 4 GiB).
AllocationPlan PlanAround(uint32_t address, uint32_t size, uint32_t redzone) {
  uint32_t leading = std::min(redzone, address);
  uint64_t raw = uint64_t{leading} + size + redzone;
  uint64_t room = uint64_t{std::numeric_limits<uint32_t>::max()} - (address - leading);
  return AllocationPlan{static_cast<uint32_t>(std::min(raw, room)), leading};
}

void Add(HeapStats& sum, const HeapStats& s) {
  sum.allocs += s.allocs;
  sum.frees += s.frees;
  sum.bytes_allocated += s.bytes_allocated;
  sum.live_blocks += s.live_blocks;
  sum.live_bytes += s.live_bytes;
  sum.quarantined_bytes += s.quarantined_bytes;
}

}  // namespace

void ClientBlocks::MallocLike(uint32_t address, uint32_t size, uint32_t redzone,
                              ShadowState contents, BacktraceId site) {
  malloclike_.OnAllocated(address - std::min(redzone, address), PlanAround(address, size, redzone),
                          size, AllocFamily::Custom, site, contents);
}

void ClientBlocks::Forget(HeapTracker& tracker, const HeapBlock& block) {
  // OnFree evicts it at once (no quarantine) and paints it unallocated heap; Valgrind leaves
  // a client block's memory NoAccess, whatever memory it is.
  tracker.OnFree(block.user_begin, Deallocator::Custom, kNoBacktrace);
  shadow_.SetRange(block.raw_begin, block.raw_end - block.raw_begin, ShadowState::NoAccess);
}

FreeOutcome ClientBlocks::Free(HeapTracker& tracker, uint32_t address, BacktraceId site) {
  FreeOutcome out = tracker.OnFree(address, Deallocator::Custom, site);
  if (out.verdict == FreeVerdict::Freed && out.block) {
    shadow_.SetRange(out.block->raw_begin, out.block->raw_end - out.block->raw_begin,
                     ShadowState::NoAccess);
  }
  return out;
}

FreeOutcome ClientBlocks::FreeLike(uint32_t address, BacktraceId site) {
  return Free(malloclike_, address, site);
}

template <typename Change>
void ClientBlocks::KeepingShadow(std::initializer_list<AddressRange> ranges, Change&& change) {
  // The ranges' states as runs (a block may be megabytes of one state), and the bits of the
  // partly defined bytes.
  struct Run {
    uint64_t begin, end;
    ShadowState state;
  };
  std::vector<Run> runs;
  std::vector<std::pair<uint64_t, uint8_t>> bits;
  for (const AddressRange& r : ranges) {
    const uint64_t end = std::min<uint64_t>(r.end, shadow_.size());
    for (uint64_t a = r.begin; a < end; ++a) {
      const ShadowState s = shadow_.Get(a);
      if (s == ShadowState::PartlyDefined) {
        bits.emplace_back(a, static_cast<uint8_t>(shadow_.LoadVBits(a, 1)));
      }
      if (runs.empty() || runs.back().end != a || runs.back().state != s) {
        runs.push_back({a, a + 1, s});
      } else {
        runs.back().end = a + 1;
      }
    }
  }
  change();
  for (const Run& r : runs) {
    // A partly defined byte is made addressable first: a store of bits changes no other.
    shadow_.SetRange(r.begin, r.end - r.begin,
                     r.state == ShadowState::PartlyDefined ? ShadowState::Defined : r.state);
  }
  for (auto [address, v] : bits) shadow_.StoreVBits(address, 1, v);
}

bool ClientBlocks::ResizeInPlace(uint32_t address, uint32_t old_size, uint32_t new_size,
                                 uint32_t redzone, ShadowState growth) {
  const HeapBlock* b = malloclike_.FindLive(address);
  if (b == nullptr || b->user_size != old_size || new_size == 0) return false;
  if (new_size == old_size) return true;
  HeapBlock old = *b;
  // Re-registered with its allocation stack; the bytes before its end and those it keeps are
  // put back as they were (Valgrind changes only the size and what lies past the smaller end).
  const auto kept_end = static_cast<uint32_t>(uint64_t{address} + std::min(old_size, new_size));
  KeepingShadow({AddressRange{old.raw_begin, kept_end}}, [&] {
    malloclike_.OnAllocated(address - std::min(redzone, address),
                            PlanAround(address, new_size, redzone), new_size, AllocFamily::Custom,
                            old.alloc_site, ShadowState::Defined);
  });
  if (new_size > old_size) shadow_.SetRange(address + old_size, new_size - old_size, growth);
  if (new_size < old_size) {
    uint64_t end = std::min<uint64_t>(old.raw_end, uint64_t{address} + new_size + redzone);
    if (old.raw_end > end) shadow_.SetRange(end, old.raw_end - end, ShadowState::NoAccess);
  }
  return true;
}

const ClientBlocks::Pool* ClientBlocks::FindPool(uint32_t pool) const {
  auto it = pools_.find(pool);
  return it == pools_.end() ? nullptr : it->second.get();
}

void ClientBlocks::CreatePool(uint32_t pool, uint32_t redzone, bool zeroed, uint32_t flags) {
  if (pools_.contains(pool)) return;
  pools_.emplace(pool, std::make_unique<Pool>(Pool{redzone, zeroed, flags, Tracker()}));
}

bool ClientBlocks::DestroyPool(uint32_t pool) {
  auto it = pools_.find(pool);
  if (it == pools_.end()) return false;
  HeapTracker& chunks = it->second->chunks;
  for (const HeapBlock& b : chunks.LiveBlocks()) Forget(chunks, b);
  HeapStats s = chunks.stats();
  s.live_blocks = s.live_bytes = 0;
  Add(retired_, s);
  pools_.erase(it);
  return true;
}

void ClientBlocks::PoolAlloc(uint32_t pool, uint32_t address, uint32_t size, ShadowState contents,
                             BacktraceId site) {
  Pool& p = *pools_.at(pool);
  p.chunks.OnAllocated(address - std::min(p.redzone, address), PlanAround(address, size, p.redzone),
                       size, AllocFamily::Mempool, site, contents);
}

FreeOutcome ClientBlocks::PoolFree(uint32_t pool, uint32_t address, BacktraceId site) {
  Pool& p = *pools_.at(pool);
  FreeOutcome out = Free(p.chunks, address, site);
  if (out.verdict == FreeVerdict::Freed && out.block && (p.flags & kMempoolAutoFree) != 0) {
    for (const HeapBlock& b : malloclike_.LiveBlocks()) {
      if (b.user_begin >= out.block->user_begin && b.user_end() <= out.block->user_end()) {
        Free(malloclike_, b.user_begin, site);
      }
    }
  }
  return out;
}

void ClientBlocks::PoolTrim(uint32_t pool, uint32_t address, uint32_t size) {
  HeapTracker& chunks = pools_.at(pool)->chunks;
  const uint64_t keep_begin = address, keep_end = uint64_t{address} + size;
  for (const HeapBlock& b : chunks.LiveBlocks()) {
    uint64_t begin = std::max<uint64_t>(b.user_begin, keep_begin);
    uint64_t end = std::min<uint64_t>(b.user_end(), keep_end);
    if (begin == b.user_begin && end == b.user_end()) continue;  // wholly inside
    Forget(chunks, b);
    if (begin < end) {
      // The part inside stays a chunk (no redzones: Valgrind's trim keeps none), with its
      // allocation stack. Part 2: keep the bytes' definedness rather than repaint them.
      auto kept = static_cast<uint32_t>(end - begin);
      chunks.OnAllocated(static_cast<uint32_t>(begin), AllocationPlan{kept, 0}, kept,
                         AllocFamily::Mempool, b.alloc_site, ShadowState::Defined);
    }
  }
}

bool ClientBlocks::MovePool(uint32_t from, uint32_t to) {
  auto it = pools_.find(from);
  if (it == pools_.end()) return false;
  std::unique_ptr<Pool> p = std::move(it->second);
  pools_.erase(it);
  pools_[to] = std::move(p);
  return true;
}

bool ClientBlocks::PoolChange(uint32_t pool, uint32_t from, uint32_t to, uint32_t size) {
  Pool& p = *pools_.at(pool);
  const HeapBlock* b = p.chunks.FindLive(from);
  if (b == nullptr) return false;
  HeapBlock old = *b;
  const AllocationPlan plan = PlanAround(to, size, p.redzone);
  const uint32_t raw = to - plan.leading;
  const auto raw_end = static_cast<uint32_t>(
      std::min<uint64_t>(uint64_t{raw} + plan.raw_size, std::numeric_limits<uint32_t>::max()));
  KeepingShadow({AddressRange{old.raw_begin, old.raw_end}, AddressRange{raw, raw_end}}, [&] {
    Forget(p.chunks, old);
    p.chunks.OnAllocated(to - plan.leading, plan, size, AllocFamily::Mempool, old.alloc_site,
                         ShadowState::Defined);
  });
  return true;
}

const HeapTracker* ClientBlocks::Covering(uint64_t address) const {
  // MALLOCLIKE blocks first: in a metapool they sit inside a pool's chunk.
  auto live = [address](const HeapTracker& t) {
    auto d = t.Describe(address);
    return d && !d->block.freed;
  };
  if (live(malloclike_)) return &malloclike_;
  for (const auto& [name, pool] : pools_) {
    if (live(pool->chunks)) return &pool->chunks;
  }
  return nullptr;
}

std::optional<BlockDescription> ClientBlocks::Describe(uint64_t address) const {
  const HeapTracker* t = Covering(address);
  return t != nullptr ? t->Describe(address) : std::nullopt;
}

std::vector<HeapBlock> ClientBlocks::LiveBlocks() const {
  std::vector<HeapBlock> out = malloclike_.LiveBlocks();
  for (const auto& [name, pool] : pools_) {
    std::vector<HeapBlock> chunks = pool->chunks.LiveBlocks();
    out.insert(out.end(), chunks.begin(), chunks.end());
  }
  return out;
}

HeapStats ClientBlocks::Stats() const {
  HeapStats sum = retired_;
  Add(sum, malloclike_.stats());
  for (const auto& [name, pool] : pools_) Add(sum, pool->chunks.stats());
  return sum;
}

}  // namespace wasmgrind::memcheck
