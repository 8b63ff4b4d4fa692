// LeakChecker: Valgrind's leak classification of the live heap blocks at exit.
//
// 1. From the roots (data and bss, the live C stack, wasm globals' values), every aligned
//    4-byte word that points at a block reaches it: at its start, "reachable" if the chain so
//    far is all start pointers, else "possible"; inside it, "possible". Reached blocks are
//    scanned in turn (a possible block found again by a start-pointer chain is upgraded and
//    rescanned).
// 2. Each block still unreached leads a clique: the unreached blocks it points to, directly or
//    not, are "indirectly lost", and their bytes are added to the leader's.
// 3. The leaders are "definitely lost".
// Loss records group blocks by kind and allocation stack, ordered as Valgrind orders them
// (total bytes, then kind, then block count). wasm32 pointers are 4 bytes, little-endian.
//
// Valgrind's heuristics (LeakHeuristic, --leak-check-heuristics, all by default) make an
// interior pointer count as a start pointer where the block has the shape a common idiom gives
// it (wasm32 words are 4 bytes where Valgrind's are a native size_t):
//   - stdstring: libstdc++'s old string, [length, capacity, refcount] then the characters,
//     pointed at past the header, its size 12 + capacity + 1;
//   - length64: a 64-bit length of the rest, then the bytes pointed at (sqlite's allocator);
//   - newarray: a `new[]` of objects with a destructor stores the element count in a cookie
//     before the elements and hands out a pointer past it (4, 8 or 16 bytes in: the cookie is
//     max(sizeof(size_t), alignof(T)) on wasm32), for blocks from operator new[];
//   - multipleinheritance: a pointer to a C++ object's second (or later) base, where both it
//     and the block's start hold vtable pointers. Valgrind knows vtables by their symbols
//     (_ZTV...), which a wasm module does not name; the Itanium ABI's vtable layout tells them
//     here: each address point follows the offset to the top of the object (0 for the
//     complete object's, minus the base's offset for a base's) and one shared type info.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "memcheck/backtrace.h"
#include "memcheck/heap_tracker.h"
#include "memcheck/leak_kind.h"

namespace wasmgrind::memcheck {

struct AddressRange {
  uint32_t begin = 0;
  uint32_t end = 0;  // exclusive
};

struct LeakRoots {
  std::vector<AddressRange> memory;  // scanned word by word: data, bss, the live stack
  std::vector<uint32_t> values;      // pointers held outside memory: wasm globals
};

struct LossRecord {
  LeakKind kind = LeakKind::Definite;
  BacktraceId alloc_site = kNoBacktrace;
  uint64_t bytes = 0;           // the blocks' own bytes
  uint64_t indirect_bytes = 0;  // definitely lost records: bytes of the cliques they lead
  uint64_t blocks = 0;
  uint64_t total_bytes() const { return bytes + indirect_bytes; }
};

struct LeakTotal {
  uint64_t bytes = 0;
  uint64_t blocks = 0;
};

struct LeakResult {
  std::vector<LossRecord> records;    // Valgrind's order; numbered from 1 in reports
  LeakTotal totals[4];                // by LeakKind
  std::vector<LeakKind> block_kinds;  // for each input block, in input order
  // Reachable blocks that only a heuristic's interior pointer reached, by LeakHeuristic.
  LeakTotal reachable_via[kLeakHeuristicCount];

  const LeakTotal& total(LeakKind k) const { return totals[static_cast<int>(k)]; }
};

// `memory` is memory 0's bytes (address 0 first); `blocks` the live blocks in address order
// (HeapTracker::LiveBlocks). Root ranges past the end of memory are clipped.
LeakResult FindLeaks(std::span<const uint8_t> memory, const LeakRoots& roots,
                     std::span<const HeapBlock> blocks,
                     LeakHeuristicSet heuristics = LeakHeuristicSet::All());

}  // namespace wasmgrind::memcheck
