// GuestAllocator: blocks never overlap, stay aligned and inside the arenas it owns, freed
// ranges merge and are reused, and memory the program grew itself is never handed out.
#include "memcheck/guest_allocator.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace wasmgrind::memcheck {
namespace {

constexpr uint32_t kPage = GuestAllocator::kPageBytes;

// A linear memory's size in pages, grown by the allocator and, in some tests, by the program.
struct FakeMemory {
  uint32_t pages = 1;
  uint32_t max_pages = 65536;
  int grows = 0;
  std::optional<uint32_t> Grow(uint32_t delta) {
    if (uint64_t{pages} + delta > max_pages) return std::nullopt;
    ++grows;
    uint32_t old = pages;
    pages += delta;
    return old;
  }
  GuestAllocator::GrowMemory Callback() {
    return [this](uint32_t delta) { return Grow(delta); };
  }
};

TEST(GuestAllocatorTest, BlocksAreAlignedDisjointAndAboveTheHeapBase) {
  FakeMemory memory;
  GuestAllocator heap(1000, uint64_t{memory.pages} * kPage, memory.Callback());
  std::vector<std::pair<uint32_t, uint32_t>> blocks;
  for (uint32_t size : {1u, 7u, 16u, 100u, 0u, 4096u, 3u}) {
    auto p = heap.Allocate(size, 0);
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(*p % 16, 0u);
    EXPECT_GE(*p, 1000u);
    EXPECT_GE(heap.BlockSize(*p), std::max(size, 1u));
    for (auto [b, s] : blocks) EXPECT_TRUE(*p >= b + s || *p + heap.BlockSize(*p) <= b);
    blocks.push_back({*p, heap.BlockSize(*p)});
  }
  EXPECT_EQ(memory.grows, 0);  // all fit in the first page above the heap base
}

TEST(GuestAllocatorTest, HonoursLargeAlignments) {
  FakeMemory memory;
  GuestAllocator heap(1000, uint64_t{memory.pages} * kPage, memory.Callback());
  for (uint32_t align : {32u, 64u, 4096u, 65536u}) {
    auto p = heap.Allocate(24, align);
    ASSERT_TRUE(p.has_value()) << align;
    EXPECT_EQ(*p % align, 0u) << align;
  }
  EXPECT_FALSE(heap.Allocate(8, 48).has_value());  // not a power of two
}

TEST(GuestAllocatorTest, FreedRangesMergeAndAreReused) {
  FakeMemory memory;
  GuestAllocator heap(0, uint64_t{memory.pages} * kPage, memory.Callback());
  auto a = heap.Allocate(1000, 0), b = heap.Allocate(1000, 0), c = heap.Allocate(1000, 0);
  ASSERT_TRUE(a && b && c);
  heap.Free(*a);
  heap.Free(*b);
  // a and b merged: a block larger than either fits where they were.
  auto d = heap.Allocate(1900, 0);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, *a);
  EXPECT_EQ(heap.BlockSize(*b), 0u);
  EXPECT_EQ(memory.grows, 0);
}

TEST(GuestAllocatorTest, SmallAndLargeBlocksKnowTheirSizeUntilFreed) {
  // Sizes up to 254 granules take a byte of the size table; larger ones go to its map.
  FakeMemory memory;
  GuestAllocator heap(0, uint64_t{memory.pages} * kPage, memory.Callback());
  auto small = heap.Allocate(4000, 0), edge = heap.Allocate(uint64_t{254} * 16, 0),
       large = heap.Allocate(uint64_t{255} * 16, 0), huge = heap.Allocate(uint64_t{3} * kPage, 0);
  ASSERT_TRUE(small && edge && large && huge);
  EXPECT_EQ(heap.BlockSize(*small), 4000u);
  EXPECT_EQ(heap.BlockSize(*edge), 254u * 16);
  EXPECT_EQ(heap.BlockSize(*large), 255u * 16);
  EXPECT_EQ(heap.BlockSize(*huge), uint64_t{3} * kPage);
  heap.Free(*large);
  heap.Free(*huge);
  EXPECT_EQ(heap.BlockSize(*large), 0u);
  EXPECT_EQ(heap.BlockSize(*huge), 0u);
  EXPECT_EQ(heap.BlockSize(*edge), 254u * 16);
  // The large block's range is reused by a small one: its start now holds the small size.
  auto again = heap.Allocate(1000, 0);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(heap.BlockSize(*again), 1008u);
}

TEST(GuestAllocatorTest, GrowsMemoryAndSkipsPagesTheProgramGrew) {
  FakeMemory memory;
  GuestAllocator heap(kPage - 64, uint64_t{memory.pages} * kPage, memory.Callback());
  auto small = heap.Allocate(32, 0);
  ASSERT_TRUE(small.has_value());
  EXPECT_EQ(memory.grows, 0);
  // The program grows memory by two pages itself (sbrk): those are not the allocator's.
  uint32_t program_pages_begin = *memory.Grow(2);
  auto big = heap.Allocate(uint64_t{3} * kPage, 0);
  ASSERT_TRUE(big.has_value());
  EXPECT_GE(*big, (program_pages_begin + 2) * kPage);
  EXPECT_EQ(memory.grows, 2);
}

TEST(GuestAllocatorTest, OutOfMemoryIsNullopt) {
  FakeMemory memory;
  memory.max_pages = 2;
  GuestAllocator heap(0, uint64_t{memory.pages} * kPage, memory.Callback());
  EXPECT_FALSE(heap.Allocate(uint64_t{3} * kPage, 0).has_value());
  EXPECT_FALSE(heap.Allocate(uint64_t{1} << 33, 0).has_value());
  EXPECT_TRUE(heap.Allocate(1000, 0).has_value());
}

TEST(GuestAllocatorTest, RandomWorkloadKeepsBlocksDisjoint) {
  FakeMemory memory;
  GuestAllocator heap(4096, uint64_t{memory.pages} * kPage, memory.Callback());
  std::mt19937 rng(7);
  std::map<uint32_t, uint32_t> live;  // begin -> size
  for (int i = 0; i < 10000; ++i) {
    if (live.empty() || rng() % 3 != 0) {
      uint32_t size = rng() % 5000;
      uint32_t align = 1u << (rng() % 8);
      auto p = heap.Allocate(size, align);
      ASSERT_TRUE(p.has_value());
      ASSERT_EQ(*p % std::max(align, 16u), 0u);
      ASSERT_LE(uint64_t{*p} + size, uint64_t{memory.pages} * kPage);
      auto next = live.lower_bound(*p);
      if (next != live.end()) {
        ASSERT_LE(uint64_t{*p} + std::max(size, 1u), next->first);
      }
      if (next != live.begin()) {
        auto prev = std::prev(next);
        ASSERT_LE(uint64_t{prev->first} + std::max(prev->second, 1u), *p);
      }
      live[*p] = size;
    } else {
      auto it = live.begin();
      std::advance(it, rng() % live.size());
      heap.Free(it->first);
      live.erase(it);
    }
  }
  for (auto [p, s] : live) heap.Free(p);
  EXPECT_EQ(heap.free_bytes(), heap.owned_bytes());  // everything merged back
}

}  // namespace
}  // namespace wasmgrind::memcheck
