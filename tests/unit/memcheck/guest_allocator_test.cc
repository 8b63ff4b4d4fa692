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
    const auto reserved = static_cast<uint32_t>(GuestAllocator::Reserved(size));
    EXPECT_GE(reserved, std::max(size, 1u));
    for (auto [b, s] : blocks) EXPECT_TRUE(*p >= b + s || *p + reserved <= b);
    blocks.push_back({*p, reserved});
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
  heap.Free(*a, 1000);
  heap.Free(*b, 1000);
  // a and b merged: a block larger than either fits where they were.
  auto d = heap.Allocate(1900, 0);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, *a);
  EXPECT_EQ(memory.grows, 0);
}

TEST(GuestAllocatorTest, AFreeGivesBackExactlyTheBlocksReservation) {
  // The caller says how large a block was (the size it asked for, or that size one byte short
  // for a block ending at 4 GiB): small blocks go to their size's bin, large ones merge back.
  EXPECT_EQ(GuestAllocator::Reserved(0), 16u);
  EXPECT_EQ(GuestAllocator::Reserved(1), 16u);
  EXPECT_EQ(GuestAllocator::Reserved(48), 48u);
  EXPECT_EQ(GuestAllocator::Reserved(47), GuestAllocator::Reserved(48));
  EXPECT_EQ(GuestAllocator::Reserved(49), 64u);
  FakeMemory memory;
  GuestAllocator heap(0, uint64_t{memory.pages} * kPage, memory.Callback());
  auto small = heap.Allocate(40, 0), large = heap.Allocate(4000, 0),
       huge = heap.Allocate(uint64_t{3} * kPage, 0);
  ASSERT_TRUE(small && large && huge);
  const uint64_t free_before = heap.free_bytes();
  heap.Free(*small, 40);
  EXPECT_EQ(heap.free_bytes(), free_before + 48);
  heap.Free(*large, 4000);
  heap.Free(*huge, uint64_t{3} * kPage - 1);  // one short: the same reservation
  EXPECT_EQ(heap.free_bytes(), free_before + 48 + 4000 + uint64_t{3} * kPage);
  // The binned block comes back for its size; the large ones' range serves a block that
  // needs both of them, merged.
  EXPECT_EQ(heap.Allocate(33, 0), small);
  EXPECT_EQ(heap.Allocate(4000 + 3 * kPage, 0), large);
  EXPECT_EQ(heap.free_bytes(), free_before);
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
      heap.Free(it->first, it->second);
      live.erase(it);
    }
  }
  for (auto [p, s] : live) heap.Free(p, s);
  EXPECT_EQ(heap.free_bytes(), heap.owned_bytes());  // everything merged back
}

}  // namespace
}  // namespace wasmgrind::memcheck
