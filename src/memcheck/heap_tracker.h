// HeapTracker: the heap blocks of one memory, as memcheck sees them, and their shadow.
//
// The runtime hooks the module's allocator (malloc, free, operator new, ...) at entry and
// return. Before calling the real allocator it asks PlanAllocation how much to request: the
// user's size plus a leading and a trailing redzone (--redzone-size). When the allocator
// returns, OnAllocated records the block and paints its shadow: redzones HeapRedzone, the
// user's bytes `contents` (Defined, or Undefined once part 2 tracks definedness). A free goes
// through OnFree, which detects invalid, double and mismatched frees and moves good blocks to a
// FIFO quarantine (shadow HeapFreed) of at most --freelist-vol bytes; only blocks pushed out of
// the quarantine go back to the real allocator: OnFree returns their raw addresses and the
// runtime calls the real free on each. realloc is, as in Valgrind, always a move: allocate,
// copy, free the old block, so a stale pointer to the old block is a use after free.
//
// Invariant: raw ranges of tracked blocks (live or quarantined) are disjoint, so "which block
// covers this address" is the block with the nearest start at or below it. Every malloc and free
// goes through here, so blocks live in a flat slot array, found by raw start through a table
// indexed by address, and ordered by a bitmap of starts (the allocator's blocks start on 16-byte
// granules; a client-described block that does not goes in a small ordered map instead), with the
// slot of each start in a table indexed by granule.
//
// A free finds its block without those tables when it can: the blocks of wasmgrind's own
// allocator (set_slot_hints) keep their slot in the last 4 bytes of their leading redzone,
// next to the bytes the program touched just before freeing them, where the tables' entry and
// the record are long cold. The program cannot write a redzone unreported, but a hint is only
// a hint: it counts only if the slot's record is a tracked block starting at the pointer
// (records of untracked slots are marked so), else the tables decide as before.
#pragma once

#include <cstdint>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "memcheck/backtrace.h"
#include "memcheck/granule_set.h"
#include "memcheck/prefetch.h"
#include "memcheck/shadow_memory.h"

namespace wasmgrind::memcheck {

// Who allocated a block, which decides who may free it.
enum class AllocFamily : uint8_t {
  Malloc,    // malloc, calloc, realloc, strdup, aligned_alloc, posix_memalign, memalign, ...
  New,       // operator new (any variant: nothrow, aligned)
  NewArray,  // operator new[]
  Custom,    // VALGRIND_MALLOCLIKE_BLOCK
  Mempool,   // VALGRIND_MEMPOOL_ALLOC: a pool's chunk, "client-defined" in reports
};

enum class Deallocator : uint8_t {
  Free,         // free, realloc
  Delete,       // operator delete (sized, aligned, nothrow)
  DeleteArray,  // operator delete[]
  Custom,       // VALGRIND_FREELIKE_BLOCK, VALGRIND_MEMPOOL_FREE
};

bool FamilyMatches(AllocFamily family, Deallocator deallocator);

struct HeapOptions {
  uint32_t redzone_size = 16;             // --redzone-size
  uint64_t freelist_volume = 20'000'000;  // --freelist-vol
  // The allocator hands out only ranges no tracked block holds (wasmgrind's own, which gets
  // back only what the quarantine releases): OnAllocated need not look for blocks it
  // overlaps. Off for an allocator that may reuse memory behind the tracker's back.
  bool allocator_is_exclusive = false;
  // --keep-stacktraces: the stacks a block keeps (alloc_site, free_site; kNoBacktrace when
  // not kept). free_replaces_alloc: a free drops the allocation's (alloc-then-free).
  bool keep_alloc_sites = true;
  bool keep_free_sites = true;
  bool free_replaces_alloc = false;
  // --freelist-big-blocks: freed blocks of at least this many bytes leave the quarantine
  // first, so that freeing a big block does not push out every small one (Valgrind's).
  uint64_t freelist_big_blocks = 1'000'000;
};

struct HeapBlock {
  uint32_t raw_begin = 0;   // what the real allocator returned ...
  uint32_t raw_end = 0;     // ... and the end of what we asked it for
  uint32_t user_begin = 0;  // what the program got
  uint32_t user_size = 0;   // what the program asked for
  AllocFamily family = AllocFamily::Malloc;
  bool freed = false;  // in the quarantine
  BacktraceId alloc_site = kNoBacktrace;
  BacktraceId free_site = kNoBacktrace;

  uint64_t user_end() const { return uint64_t{user_begin} + user_size; }
};

// What to ask the real allocator for: `raw_size` bytes, with the user's block `leading`
// bytes in. Aligned allocations ask the allocator for the same alignment; leading is then a
// multiple of it, so the user's pointer keeps the alignment.
struct AllocationPlan {
  uint32_t raw_size = 0;
  uint32_t leading = 0;
};

enum class FreeVerdict : uint8_t {
  Freed,        // a live block, freed by a matching deallocator
  NullPointer,  // free(NULL), delete nullptr: nothing to do, no error
  Mismatched,   // a live block, wrong deallocator: reported, and freed anyway (as Valgrind)
  DoubleFree,   // the start of a block in the quarantine: reported, nothing freed
  InvalidFree,  // anything else (interior pointer, global, stack): reported, nothing freed
};

// A raw range the quarantine let go of: what the real allocator returned, and the size asked
// of it: raw_end - raw_begin, one byte short for a block ending at 4 GiB (raw_end stops at
// 2^32 - 1), whose size is a multiple of 16 there (GuestAllocator's blocks start on 16-byte
// granules), so GuestAllocator::Reserved rounds both to the same bytes.
struct ReleasedBlock {
  uint32_t raw_begin = 0;
  uint32_t raw_size = 0;
};

struct FreeOutcome {
  FreeVerdict verdict = FreeVerdict::Freed;
  // For Mismatched, DoubleFree and an InvalidFree near a block: the block, for the report.
  std::optional<HeapBlock> block;
  // Blocks pushed out of the quarantine: hand each to the real deallocator (never a Custom
  // block's: the program manages those). The tracker's own list, valid until its next
  // OnFree: a vector per free cost a host malloc and free on every one.
  std::span<const ReleasedBlock> release;
};

enum class BlockRelation : uint8_t { Inside, Before, After };

// An address related to a block: "N bytes inside / before / after a block of size M".
struct BlockDescription {
  HeapBlock block;
  BlockRelation relation = BlockRelation::Inside;
  uint64_t distance = 0;
};

struct HeapStats {
  uint64_t allocs = 0;           // blocks ever allocated
  uint64_t frees = 0;            // non-null frees, good or bad (as Valgrind counts)
  uint64_t bytes_allocated = 0;  // user bytes ever allocated
  uint64_t live_blocks = 0;
  uint64_t live_bytes = 0;
  uint64_t quarantined_bytes = 0;  // raw bytes waiting in the quarantine
};

// HeapTracker's block records, in pages of a fixed size: growing never copies them (a vector
// doubling its array held both copies at once, a third more memory at the peak of a heap of a
// million blocks) and a record stays where it is.
class BlockRecords {
 public:
  HeapBlock& operator[](uint32_t slot) { return pages_[slot >> kPageBits][slot & kPageMask]; }
  const HeapBlock& operator[](uint32_t slot) const {
    return pages_[slot >> kPageBits][slot & kPageMask];
  }
  size_t size() const { return size_; }
  // Appends `block`; returns its slot.
  uint32_t Append(const HeapBlock& block) {
    if (size_ == pages_.size() << kPageBits) {
      pages_.push_back(std::make_unique<HeapBlock[]>(size_t{1} << kPageBits));
    }
    (*this)[size_] = block;
    return size_++;
  }

 private:
  static constexpr uint32_t kPageBits = 12;
  static constexpr uint32_t kPageMask = (1u << kPageBits) - 1;
  std::vector<std::unique_ptr<HeapBlock[]>> pages_;
  uint32_t size_ = 0;
};

class HeapTracker {
 public:
  HeapTracker(ShadowMemory& shadow, HeapOptions options);

  const HeapOptions& options() const { return options_; }
  void set_allocator_is_exclusive() { options_.allocator_is_exclusive = true; }
  // The linear memory the blocks lie in (its base never moves), whose redzones hold nothing
  // of the allocator's: from now on each block's slot is hinted there (see above).
  void set_slot_hints(uint8_t* memory) { hint_memory_ = memory; }

  // nullopt: no wasm32 allocator can satisfy the request (the hook returns null, as malloc
  // does). alignment is a power of two, or 0 for the allocator's default.
  std::optional<AllocationPlan> PlanAllocation(uint64_t user_size, uint32_t alignment) const {
    // The leading redzone keeps the user's pointer aligned: rounded up to the alignment (a
    // power of two, so without a division; nearly always the default one, precomputed).
    uint64_t leading = default_leading_;
    if (alignment > kDefaultAlignment) {
      leading = (uint64_t{options_.redzone_size} + alignment - 1) & ~(uint64_t{alignment} - 1);
    }
    const uint64_t raw = leading + user_size + options_.redzone_size;
    if (user_size > UINT32_MAX || raw > UINT32_MAX) return std::nullopt;
    return AllocationPlan{static_cast<uint32_t>(raw), static_cast<uint32_t>(leading)};
  }

  // The real allocator returned `raw` (not 0) for `plan`. Returns the user's pointer.
  uint32_t OnAllocated(uint32_t raw, const AllocationPlan& plan, uint32_t user_size,
                       AllocFamily family, BacktraceId alloc_site, ShadowState contents) {
    return OnAllocated(raw, plan, user_size, family, contents, [alloc_site] { return alloc_site; });
  }
  // The same, the site asked of `site()` (a BacktraceId) once the block's books and shadow
  // are written: finding it may wait on a cache miss (the allocator hooks' depot lookup),
  // which that work then overlaps. Not asked when allocation sites are not kept.
  template <typename Site>
  requires std::is_invocable_r_v<BacktraceId, Site&> uint32_t
  OnAllocated(uint32_t raw, const AllocationPlan& plan, uint32_t user_size, AllocFamily family,
              ShadowState contents, Site&& site) {
    Slot slot = kNoSlot;
    const uint32_t user = TrackNew(raw, plan, user_size, family, contents, slot);
    if (options_.keep_alloc_sites) {
      const BacktraceId id = site();
      if (slot != kNoSlot) slots_[slot].alloc_site = id;
    }
    return user;
  }

  // What OnFree would decide, without changing anything (realloc checks its old pointer
  // before allocating the new block).
  FreeVerdict CheckFree(uint32_t pointer, Deallocator deallocator) const;
  FreeOutcome OnFree(uint32_t pointer, Deallocator deallocator, BacktraceId free_site) {
    return OnFree(pointer, deallocator, [free_site] { return free_site; });
  }
  // The same, the site asked of `site()` after the books and the shadow are written, as
  // OnAllocated's, and only for a block freed while free sites are kept: a report of a bad
  // free takes its own.
  template <typename Site>
  requires std::is_invocable_r_v<BacktraceId, Site&> FreeOutcome OnFree(uint32_t pointer,
                                                                        Deallocator deallocator,
                                                                        Site&& site) {
    Slot slot = kNoSlot;
    FreeOutcome out = TrackFree(pointer, deallocator, slot);
    if (slot == kNoSlot) return out;
    if (options_.keep_free_sites) slots_[slot].free_site = site();
    if (options_.free_replaces_alloc) slots_[slot].alloc_site = kNoBacktrace;
    return out;
  }

  // The live block starting at `pointer` (malloc_usable_size, realloc's copy length).
  const HeapBlock* FindLive(uint32_t pointer) const;

  // The block (live or quarantined) whose user range or redzones cover `address`; nullopt for
  // memory no tracked block covers (Valgrind: "not stack'd, malloc'd or (recently) free'd").
  std::optional<BlockDescription> Describe(uint64_t address) const;

  // Warms the record of the block a free of `pointer` names, by its hint (see above): the
  // caller has other work (the free's backtrace) to do while it arrives.
  void PrefetchFree(uint32_t pointer) const {
    if (const Slot slot = HintedSlot(pointer); slot != kNoSlot)
      __builtin_prefetch(&slots_[slot], 1);
    KeepPrefetch();
  }
  // Warms what tracking a block starting at `raw` will touch (see GuestAllocator::Upcoming).
  void PrefetchStart(uint32_t raw) const {
    if (GranuleSet::Holds(raw)) aligned_slots_.Prefetch(raw);
    if (free_slots_.size() > 4) __builtin_prefetch(&slots_[free_slots_[free_slots_.size() - 5]], 1);
    KeepPrefetch();
  }

  // Live blocks in address order (the leak checker's input).
  std::vector<HeapBlock> LiveBlocks() const;
  const HeapStats& stats() const { return stats_; }

 private:
  using Slot = uint32_t;  // index into slots_
  static constexpr Slot kNoSlot = UINT32_MAX;
  // wasi-libc's malloc returns 16-byte aligned blocks; the user's pointer keeps that.
  static constexpr uint32_t kDefaultAlignment = 16;

  // OnAllocated but for the site: `slot` is the block's (kNoSlot: it was dropped).
  uint32_t TrackNew(uint32_t raw, const AllocationPlan& plan, uint32_t user_size,
                    AllocFamily family, ShadowState contents, Slot& slot);
  // OnFree but for the site: `slot` is the block freed, if one was.
  FreeOutcome TrackFree(uint32_t pointer, Deallocator deallocator, Slot& slot);
  std::optional<Slot> CoveringSlot(uint64_t address) const;
  // The block (live or quarantined) whose user's pointer is `pointer`. Frees name one: it is
  // the block starting the default leading redzone below it, one table load away.
  // kNoSlot if there is none. (A plain word, not an optional: GCC returns an optional built
  // in memory piece by piece and read back whole, a store-forwarding stall on every free.)
  Slot SlotOf(uint32_t pointer) const;
  // The slot the redzone before `pointer` names, if any (not validated; kNoSlot: none).
  Slot HintedSlot(uint32_t pointer) const {
    if (hint_memory_ == nullptr || pointer < kHintBytes || pointer > shadow_.size()) {
      return kNoSlot;
    }
    uint32_t hint;
    std::memcpy(&hint, hint_memory_ + pointer - kHintBytes, kHintBytes);
    if (hint == 0 || hint > slots_.size()) return kNoSlot;
    return hint - 1;
  }
  FreeVerdict VerdictOf(Slot slot, Deallocator deallocator) const {
    if (slot == kNoSlot) return FreeVerdict::InvalidFree;
    const HeapBlock& b = slots_[slot];
    if (b.freed) return FreeVerdict::DoubleFree;
    return FamilyMatches(b.family, deallocator) ? FreeVerdict::Freed : FreeVerdict::Mismatched;
  }
  // Warms the books of the blocks the quarantine releases next: by then they have long left
  // the caches, and each release touches its record, its shadow and its start's table entry.
  void PrefetchEvictions() const;
  const HeapBlock* Covering(uint64_t address) const;
  // The tracked block with the largest raw_begin <= address (covering it or not).
  std::optional<Slot> AtOrBelow(uint64_t address) const;
  // The tracked blocks whose raw_begin is in [begin, end).
  void StartingIn(uint64_t begin, uint64_t end, std::vector<Slot>& out) const;
  // Records a live block; returns its slot, or kNoSlot if it was dropped (an empty range
  // where another block starts).
  Slot Track(uint32_t raw, uint32_t raw_end, uint32_t user, uint32_t user_size, AllocFamily family);
  // Forgets the tracked blocks that [raw, raw_end), just allocated, overlaps.
  void ForgetOverlapping(uint32_t raw, uint32_t raw_end);
  void Untrack(Slot slot) { UntrackAt(slots_[slot].raw_begin); }
  // Forgets the tracked block starting at `raw`; returns its slot (now a hole).
  Slot UntrackAt(uint32_t raw);
  // The same, its slot known.
  void UntrackSlot(uint32_t raw, Slot slot);
  // Makes `slot` a hole. Its record keeps what eviction still reads (the family) but no
  // longer covers any address, so a stale slot hint finds nothing there.
  void MakeHole(Slot slot) {
    slots_[slot].raw_end = 0;
    free_slots_.push_back(slot);
  }
  // Evicts blocks until the quarantine holds at most --freelist-vol bytes; the raw starts of
  // those the real allocator gets back go to released_.
  void EvictFromQuarantine();
  static bool IsClientBlock(const HeapBlock& b) {
    return b.family == AllocFamily::Custom || b.family == AllocFamily::Mempool;
  }

  // A quarantined block's raw range and slot (which stays its own while it waits), kept in
  // the queue itself: evicting it then needs no read of its record or of its start's table
  // entry, which have long left the caches (only writes to them and its shadow).
  struct Quarantined {
    uint32_t raw_begin = 0;
    uint32_t raw_end = 0;
    Slot slot = 0;
  };
  // Gives `q`'s block (out of the quarantine now) back: to released_, unless it is a client's.
  void Release(const Quarantined& q);

  ShadowMemory& shadow_;
  HeapOptions options_;
  BlockRecords slots_;                         // live and quarantined blocks; holes reused
  std::vector<Slot> free_slots_;               // holes in slots_
  GranuleSet aligned_starts_;                  // raw_begin of blocks that start on a granule ...
  GranuleTable aligned_slots_;                 // ... and their slot + 1
  std::map<uint32_t, Slot> unaligned_starts_;  // blocks that do not (client blocks)
  // Freed blocks, oldest first: big ones (--freelist-big-blocks), which leave first, and the
  // rest. A block that fills the quarantine alone goes to the front of its queue (it leaves at
  // once), as Valgrind's.
  static constexpr size_t kBig = 0, kSmall = 1;
  std::deque<Quarantined> quarantine_[2];
  std::vector<ReleasedBlock> released_;  // the last OnFree's FreeOutcome::release
  // Client blocks (Custom, Mempool) in quarantine_: the program, not the allocator, gets
  // those back; while there are none, eviction need not look at the records' families.
  uint64_t quarantined_client_blocks_ = 0;
  uint32_t default_leading_ = 0;             // PlanAllocation's leading redzone, no alignment
  static constexpr uint32_t kHintBytes = 4;  // a slot + 1 (0: none), before the user's bytes
  // How many evictions ahead their books are warmed: far enough for the prefetches to arrive.
  static constexpr size_t kEvictionsAhead = 8;
  uint8_t* hint_memory_ = nullptr;  // set_slot_hints; null: no hints
  HeapStats stats_;
};

// "alloc'd"/"free'd" text of Valgrind's address descriptions, e.g. "8 bytes inside a block of
// size 10 alloc'd".
std::string DescribeRelation(const BlockDescription& d);

}  // namespace wasmgrind::memcheck
