// ClientBlocks: the blocks a program describes itself through client requests
// (include/wasmgrind/memcheck.h): VALGRIND_MALLOCLIKE_BLOCK's blocks and the chunks of memory
// pools (Valgrind's manual, "Memory Pools").
//
// A custom allocator carves its blocks out of memory it got elsewhere, usually a malloc'd
// arena or a static array, so client blocks nest inside heap blocks: they are tracked apart
// from the HeapTracker of malloc's blocks, in HeapTrackers of their own (one for MALLOCLIKE
// blocks, one per pool), and the innermost block describes an address. Freed client blocks
// are forgotten at once and left NoAccess, as Valgrind leaves them (a later access is
// described by the block around it, e.g. the arena); the program reuses their memory, never
// our allocator.
//
// Invariant: every tracker's raw ranges are disjoint (HeapTracker's); blocks of different
// trackers may overlap (a MALLOCLIKE block inside a pool's chunk: Valgrind's metapools).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "memcheck/backtrace.h"
#include "memcheck/heap_tracker.h"
#include "memcheck/leak_checker.h"
#include "memcheck/shadow_memory.h"

namespace wasmgrind::memcheck {

// VALGRIND_CREATE_MEMPOOL_EXT's flags (Valgrind's values).
inline constexpr uint32_t kMempoolAutoFree = 1;
inline constexpr uint32_t kMempoolMetapool = 2;

class ClientBlocks {
 public:
  struct Pool {
    uint32_t redzone = 0;
    bool zeroed = false;
    uint32_t flags = 0;
    HeapTracker chunks;
  };

  // `stacks`: which stacks the blocks keep (HeapOptions' keep_* fields; the rest is ignored).
  explicit ClientBlocks(ShadowMemory& shadow, const HeapOptions& stacks = {})
      : shadow_(shadow), stacks_(stacks), malloclike_(Tracker()) {}

  // VALGRIND_MALLOCLIKE_BLOCK: [address, address + size) holds a new block, with `redzone`
  // bytes on each side made NoAccess.
  void MallocLike(uint32_t address, uint32_t size, uint32_t redzone, ShadowState contents,
                  BacktraceId site);
  // A live MALLOCLIKE block starts at `address`.
  bool IsMallocLike(uint32_t address) const {
    return malloclike_.stats().live_blocks != 0 && malloclike_.FindLive(address) != nullptr;
  }
  // VALGRIND_FREELIKE_BLOCK (or a matching free of a MALLOCLIKE block): the verdict, with the
  // block for a report. A freed block's bytes and redzones become NoAccess.
  FreeOutcome FreeLike(uint32_t address, BacktraceId site);
  // VALGRIND_RESIZEINPLACE_BLOCK: false if no live block of `old_size` starts at `address`.
  // The bytes it keeps keep their state; those it grows by become `growth` (Undefined when
  // definedness is tracked); those it gives up, and the redzone after its new end, NoAccess.
  bool ResizeInPlace(uint32_t address, uint32_t old_size, uint32_t new_size, uint32_t redzone,
                     ShadowState growth);

  // The pools, by the address that names them. Requests on an unknown pool are the caller's
  // to report (Valgrind's "Illegal memory pool address").
  const Pool* FindPool(uint32_t pool) const;
  // A second CREATE of a live pool is ignored.
  void CreatePool(uint32_t pool, uint32_t redzone, bool zeroed, uint32_t flags);
  // Every chunk becomes NoAccess and the pool is gone. False: no such pool.
  bool DestroyPool(uint32_t pool);
  // A new chunk [address, address + size) of an existing pool, its redzones NoAccess.
  void PoolAlloc(uint32_t pool, uint32_t address, uint32_t size, ShadowState contents,
                 BacktraceId site);
  // The chunk starting at `address` leaves an existing pool (an AUTO_FREE metapool's
  // MALLOCLIKE blocks inside it go too).
  FreeOutcome PoolFree(uint32_t pool, uint32_t address, BacktraceId site);
  // Chunks wholly outside [address, address + size) are freed, the others cut to it.
  void PoolTrim(uint32_t pool, uint32_t address, uint32_t size);
  // The pool named `from` is now named `to`. False: no pool `from`.
  bool MovePool(uint32_t from, uint32_t to);
  // The chunk at `from` now is [to, to + size); the shadow is left as it is, as Valgrind
  // leaves it (the program moved the bytes, or not). False: no such chunk.
  bool PoolChange(uint32_t pool, uint32_t from, uint32_t to, uint32_t size);

  // The innermost client block (live) whose bytes or redzones cover `address`, or nullopt.
  std::optional<BlockDescription> Describe(uint64_t address) const;
  // The tracker holding the block Describe finds (error_builders describe through it).
  const HeapTracker* Covering(uint64_t address) const;
  // Every live client block, in no particular order.
  std::vector<HeapBlock> LiveBlocks() const;
  // The HEAP SUMMARY's counts of client blocks, destroyed pools included.
  HeapStats Stats() const;

 private:
  // Freed blocks leave at once (no quarantine: nothing is released to an allocator).
  HeapTracker Tracker() const {
    HeapOptions o = stacks_;
    o.redzone_size = 0;
    o.freelist_volume = 0;
    o.allocator_is_exclusive = false;
    return HeapTracker(shadow_, o);
  }
  FreeOutcome Free(HeapTracker& tracker, uint32_t address, BacktraceId site);
  void Forget(HeapTracker& tracker, const HeapBlock& block);
  // Runs `change` (which repaints through the trackers) and puts the shadow of `ranges` back
  // as it was before: states, and the bits of partly defined bytes.
  template <typename Change>
  void KeepingShadow(std::initializer_list<AddressRange> ranges, Change&& change);

  ShadowMemory& shadow_;
  HeapOptions stacks_;
  HeapTracker malloclike_;
  std::map<uint32_t, std::unique_ptr<Pool>> pools_;
  HeapStats retired_;  // counts of destroyed pools
};

}  // namespace wasmgrind::memcheck
