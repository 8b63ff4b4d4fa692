// HeapTracker: redzones and their shadow, the quarantine, free verdicts, address
// descriptions. A fake "real allocator" hands out raw blocks from a bump pointer.
#include "memcheck/heap_tracker.h"

#include <gtest/gtest.h>

namespace wasmgrind::memcheck {
namespace {

class HeapTrackerTest : public ::testing::Test {
 protected:
  explicit HeapTrackerTest(HeapOptions options = {})
      : shadow_(std::move(ShadowMemory::Create(1 << 20, ShadowState::HeapUnallocated)).value()),
        heap_(shadow_, options) {}

  // Allocates as the runtime's hook will: plan, "real" allocation, record.
  uint32_t Alloc(uint32_t size, AllocFamily family = AllocFamily::Malloc, uint32_t alignment = 0,
                 BacktraceId site = 1) {
    auto plan = heap_.PlanAllocation(size, alignment);
    EXPECT_TRUE(plan.has_value());
    uint32_t align = std::max<uint32_t>(alignment, 16);
    next_ = (next_ + align - 1) / align * align;
    uint32_t raw = next_;
    next_ += plan->raw_size;
    return heap_.OnAllocated(raw, *plan, size, family, site, ShadowState::Defined);
  }

  ShadowMemory shadow_;
  HeapTracker heap_;
  uint32_t next_ = 0x10000;
};

TEST_F(HeapTrackerTest, BlockIsFramedByRedzones) {
  uint32_t p = Alloc(10);
  EXPECT_EQ(p % 16, 0u);
  EXPECT_EQ(shadow_.Get(p - 16), ShadowState::HeapRedzone);
  EXPECT_EQ(shadow_.Get(p - 1), ShadowState::HeapRedzone);
  EXPECT_EQ(shadow_.FirstUnaddressable(p, 10), std::nullopt);
  EXPECT_EQ(shadow_.FirstUnaddressable(p + 8, 4), (BadByte{p + 10, ShadowState::HeapRedzone}));
  EXPECT_EQ(shadow_.Get(p + 10 + 15), ShadowState::HeapRedzone);
  EXPECT_EQ(shadow_.Get(p + 10 + 16), ShadowState::HeapUnallocated);
}

TEST_F(HeapTrackerTest, ContentsStateIsTheCallersChoice) {
  auto plan = heap_.PlanAllocation(8, 0);
  uint32_t p = heap_.OnAllocated(0x20000, *plan, 8, AllocFamily::Malloc, 1, ShadowState::Undefined);
  EXPECT_EQ(shadow_.Get(p), ShadowState::Undefined);
  EXPECT_EQ(shadow_.FirstUnaddressable(p, 8), std::nullopt);
}

TEST_F(HeapTrackerTest, AlignedAllocationKeepsItsAlignment) {
  uint32_t p = Alloc(100, AllocFamily::Malloc, 256);
  EXPECT_EQ(p % 256, 0u);
  auto plan = heap_.PlanAllocation(100, 256);
  EXPECT_EQ(plan->leading, 256u);
  EXPECT_EQ(plan->raw_size, 256u + 100 + 16);
}

TEST(HeapTrackerPlanTest, TheLeadingRedzoneRoundsUpToTheAlignment) {
  ShadowMemory shadow = std::move(ShadowMemory::Create(1 << 16, ShadowState::Defined)).value();
  // {redzone, alignment, leading}: the redzone rounded up to max(alignment, 16).
  const uint32_t cases[][3] = {
      {16, 0, 16},    {20, 0, 32}, {20, 8, 32},  {20, 16, 32}, {20, 64, 64},
      {100, 64, 128}, {0, 0, 0},   {0, 4096, 0}, {1, 32, 32},  {128, 1u << 20, 1u << 20}};
  for (const auto& [redzone, alignment, leading] : cases) {
    HeapTracker heap(shadow, HeapOptions{redzone, 1000});
    auto plan = heap.PlanAllocation(10, alignment);
    ASSERT_TRUE(plan.has_value());
    EXPECT_EQ(plan->leading, leading) << redzone << " " << alignment;
    EXPECT_EQ(plan->raw_size, leading + 10 + redzone) << redzone << " " << alignment;
  }
}

TEST_F(HeapTrackerTest, ImpossibleRequestsHaveNoPlan) {
  EXPECT_FALSE(heap_.PlanAllocation(0xFFFFFFF0u, 0).has_value());
  EXPECT_FALSE(heap_.PlanAllocation(1ull << 33, 0).has_value());
  EXPECT_TRUE(heap_.PlanAllocation(0, 0).has_value());
}

TEST_F(HeapTrackerTest, FreeQuarantinesAndPaintsFreed) {
  uint32_t p = Alloc(32);
  FreeOutcome out = heap_.OnFree(p, Deallocator::Free, 2);
  EXPECT_EQ(out.verdict, FreeVerdict::Freed);
  EXPECT_TRUE(out.release.empty());  // 20 MB of quarantine: nothing goes back yet
  EXPECT_EQ(shadow_.FirstUnaddressable(p, 4), (BadByte{p, ShadowState::HeapFreed}));
  EXPECT_EQ(heap_.stats().live_blocks, 0u);
  EXPECT_EQ(heap_.stats().frees, 1u);
  EXPECT_EQ(heap_.stats().quarantined_bytes, 16u + 32 + 16);
}

TEST_F(HeapTrackerTest, NullFreeIsLegal) {
  EXPECT_EQ(heap_.OnFree(0, Deallocator::Free, 1).verdict, FreeVerdict::NullPointer);
  EXPECT_EQ(heap_.OnFree(0, Deallocator::DeleteArray, 1).verdict, FreeVerdict::NullPointer);
  EXPECT_EQ(heap_.stats().frees, 0u);
}

TEST_F(HeapTrackerTest, DoubleFreeIsReportedWithTheBlock) {
  uint32_t p = Alloc(10);
  heap_.OnFree(p, Deallocator::Free, 2);
  FreeOutcome again = heap_.OnFree(p, Deallocator::Free, 3);
  EXPECT_EQ(again.verdict, FreeVerdict::DoubleFree);
  ASSERT_TRUE(again.block.has_value());
  EXPECT_EQ(again.block->free_site, 2u);  // the first free's stack, for "Block was free'd"
  EXPECT_EQ(heap_.stats().frees, 2u);     // Valgrind counts the bad free too
  EXPECT_EQ(heap_.stats().quarantined_bytes, 16u + 10 + 16);  // but frees nothing
}

TEST_F(HeapTrackerTest, InteriorAndForeignPointersAreInvalidFrees) {
  uint32_t p = Alloc(20);
  FreeOutcome interior = heap_.OnFree(p + 4, Deallocator::Free, 2);
  EXPECT_EQ(interior.verdict, FreeVerdict::InvalidFree);
  ASSERT_TRUE(interior.block.has_value());
  EXPECT_EQ(interior.block->user_begin, p);
  EXPECT_EQ(heap_.OnFree(0x400, Deallocator::Free, 2).verdict, FreeVerdict::InvalidFree);
  EXPECT_FALSE(heap_.OnFree(0x400, Deallocator::Free, 2).block.has_value());
  // Nothing was freed: the block is still live and usable.
  EXPECT_NE(heap_.FindLive(p), nullptr);
  EXPECT_EQ(shadow_.FirstUnaddressable(p, 20), std::nullopt);
}

TEST_F(HeapTrackerTest, MismatchedFamiliesAreReportedAndStillFreed) {
  struct Case {
    AllocFamily family;
    Deallocator wrong;
    Deallocator right;
  };
  for (Case c : {Case{AllocFamily::Malloc, Deallocator::Delete, Deallocator::Free},
                 Case{AllocFamily::Malloc, Deallocator::DeleteArray, Deallocator::Free},
                 Case{AllocFamily::New, Deallocator::Free, Deallocator::Delete},
                 Case{AllocFamily::New, Deallocator::DeleteArray, Deallocator::Delete},
                 Case{AllocFamily::NewArray, Deallocator::Free, Deallocator::DeleteArray},
                 Case{AllocFamily::NewArray, Deallocator::Delete, Deallocator::DeleteArray}}) {
    uint32_t ok = Alloc(8, c.family);
    EXPECT_EQ(heap_.OnFree(ok, c.right, 2).verdict, FreeVerdict::Freed);
    uint32_t bad = Alloc(8, c.family);
    FreeOutcome out = heap_.OnFree(bad, c.wrong, 2);
    EXPECT_EQ(out.verdict, FreeVerdict::Mismatched);
    ASSERT_TRUE(out.block.has_value());
    EXPECT_FALSE(out.block->freed);  // described as it was: "alloc'd"
    EXPECT_EQ(shadow_.Get(bad), ShadowState::HeapFreed);
  }
}

TEST_F(HeapTrackerTest, CheckFreeChangesNothing) {
  uint32_t p = Alloc(8);
  EXPECT_EQ(heap_.CheckFree(p, Deallocator::Free), FreeVerdict::Freed);
  EXPECT_EQ(heap_.CheckFree(p, Deallocator::Free), FreeVerdict::Freed);
  EXPECT_NE(heap_.FindLive(p), nullptr);
}

TEST_F(HeapTrackerTest, DescribeSaysWhereAnAddressIsRelativeToItsBlock) {
  uint32_t p = Alloc(10);
  auto after = heap_.Describe(p + 10);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(DescribeRelation(*after), "0 bytes after a block of size 10 alloc'd");
  EXPECT_EQ(DescribeRelation(*heap_.Describe(p + 8)), "8 bytes inside a block of size 10 alloc'd");
  EXPECT_EQ(DescribeRelation(*heap_.Describe(p - 4)), "4 bytes before a block of size 10 alloc'd");
  EXPECT_EQ(DescribeRelation(*heap_.Describe(p + 25)), "15 bytes after a block of size 10 alloc'd");
  EXPECT_FALSE(heap_.Describe(p + 26).has_value());  // past the redzone: no block claims it
  heap_.OnFree(p, Deallocator::Free, 2);
  EXPECT_EQ(DescribeRelation(*heap_.Describe(p)), "0 bytes inside a block of size 10 free'd");
  EXPECT_EQ(heap_.Describe(p)->block.alloc_site, 1u);
  EXPECT_EQ(heap_.Describe(p)->block.free_site, 2u);
}

TEST_F(HeapTrackerTest, NeighboursDescribeTheirOwnRedzones) {
  uint32_t a = Alloc(16);
  uint32_t b = Alloc(16);
  // a's trailing redzone is followed by b's leading one: each belongs to its own block.
  EXPECT_EQ(heap_.Describe(a + 16)->block.user_begin, a);
  EXPECT_EQ(heap_.Describe(b - 1)->block.user_begin, b);
  EXPECT_EQ(heap_.Describe(b - 1)->relation, BlockRelation::Before);
}

TEST_F(HeapTrackerTest, StatsFollowValgrindsHeapSummary) {
  uint32_t a = Alloc(10);
  Alloc(20);
  heap_.OnFree(a, Deallocator::Free, 1);
  const HeapStats& s = heap_.stats();
  EXPECT_EQ(s.allocs, 2u);
  EXPECT_EQ(s.frees, 1u);
  EXPECT_EQ(s.bytes_allocated, 30u);
  EXPECT_EQ(s.live_blocks, 1u);
  EXPECT_EQ(s.live_bytes, 20u);
  ASSERT_EQ(heap_.LiveBlocks().size(), 1u);
  EXPECT_EQ(heap_.LiveBlocks()[0].user_size, 20u);
}

TEST_F(HeapTrackerTest, AllocatorReusingATrackedRangeWins) {
  auto plan = heap_.PlanAllocation(32, 0);
  uint32_t p = heap_.OnAllocated(0x30000, *plan, 32, AllocFamily::Malloc, 1, ShadowState::Defined);
  // The same raw range again (a free we never saw): the old record goes.
  uint32_t q = heap_.OnAllocated(0x30000, *plan, 32, AllocFamily::New, 1, ShadowState::Defined);
  EXPECT_EQ(p, q);
  EXPECT_EQ(heap_.stats().live_blocks, 1u);
  EXPECT_EQ(heap_.FindLive(q)->family, AllocFamily::New);
}

TEST_F(HeapTrackerTest, BlocksOffTheGranulesAreFoundAndEvictedLikeOthers) {
  // Client-described blocks may start anywhere; the allocator's start on 16-byte granules.
  uint32_t aligned = Alloc(32);  // raw [0x10000, 0x10040)
  AllocationPlan odd{4 + 10 + 4, 4};
  uint32_t p = heap_.OnAllocated(0x10043, odd, 10, AllocFamily::Custom, 1, ShadowState::Defined);
  EXPECT_EQ(p, 0x10047u);
  auto d = heap_.Describe(0x10052);  // 1 byte after the odd block, in its redzone
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->block.user_begin, p);
  EXPECT_EQ(d->relation, BlockRelation::After);
  EXPECT_EQ(heap_.Describe(aligned + 40)->block.user_begin, aligned);
  EXPECT_FALSE(heap_.Describe(0x10041).has_value());  // between the two
  EXPECT_FALSE(heap_.Describe(0x10055).has_value());
  // An allocation over both drops both records.
  auto plan = heap_.PlanAllocation(100, 0);
  uint32_t q = heap_.OnAllocated(0x10000, *plan, 100, AllocFamily::Malloc, 1, ShadowState::Defined);
  EXPECT_EQ(heap_.stats().live_blocks, 1u);
  ASSERT_EQ(heap_.LiveBlocks().size(), 1u);
  EXPECT_EQ(heap_.LiveBlocks()[0].user_begin, q);
  EXPECT_EQ(heap_.CheckFree(p, Deallocator::Custom), FreeVerdict::InvalidFree);
}

class SmallQuarantineTest : public HeapTrackerTest {
 protected:
  SmallQuarantineTest() : HeapTrackerTest(HeapOptions{16, 200}) {}
};

TEST_F(SmallQuarantineTest, OldestBlocksLeaveFirstWhenTheVolumeIsExceeded) {
  uint32_t a = Alloc(48);  // 80 raw bytes each
  uint32_t b = Alloc(48);
  uint32_t c = Alloc(48);
  EXPECT_TRUE(heap_.OnFree(a, Deallocator::Free, 2).release.empty());
  EXPECT_TRUE(heap_.OnFree(b, Deallocator::Free, 2).release.empty());
  FreeOutcome out = heap_.OnFree(c, Deallocator::Free, 2);  // 240 > 200: a goes back
  ASSERT_EQ(out.release.size(), 1u);
  EXPECT_EQ(out.release[0].raw_begin, a - 16);  // the raw address the real allocator gave ...
  EXPECT_EQ(out.release[0].raw_size, 80u);      // ... and the size asked of it
  EXPECT_EQ(shadow_.Get(a), ShadowState::HeapUnallocated);
  EXPECT_EQ(shadow_.Get(a - 16), ShadowState::HeapUnallocated);
  EXPECT_EQ(shadow_.Get(b), ShadowState::HeapFreed);
  EXPECT_FALSE(heap_.Describe(a).has_value());
  // Freeing a again is now a free of something never allocated.
  EXPECT_EQ(heap_.OnFree(a, Deallocator::Free, 2).verdict, FreeVerdict::InvalidFree);
  EXPECT_EQ(heap_.OnFree(b, Deallocator::Free, 2).verdict, FreeVerdict::DoubleFree);
}

TEST_F(SmallQuarantineTest, ABlockLargerThanTheVolumeGoesStraightBack) {
  uint32_t big = Alloc(1000);
  FreeOutcome out = heap_.OnFree(big, Deallocator::Free, 2);
  ASSERT_EQ(out.release.size(), 1u);
  EXPECT_EQ(out.release[0].raw_begin, big - 16);
  EXPECT_EQ(out.release[0].raw_size, 1032u);
  EXPECT_EQ(heap_.stats().quarantined_bytes, 0u);
}

// --freelist-big-blocks, as Valgrind's two queues: freed blocks of at least that many bytes
// leave before any smaller one, however old.
class BigBlocksQuarantineTest : public HeapTrackerTest {
 protected:
  static HeapOptions Options(uint64_t big) {
    HeapOptions o{16, 200};
    o.freelist_big_blocks = big;
    return o;
  }
  BigBlocksQuarantineTest() : HeapTrackerTest(Options(64)) {}
};

TEST_F(BigBlocksQuarantineTest, BigBlocksLeaveBeforeOlderSmallOnes) {
  const uint32_t a = Alloc(48);    // raw 80
  const uint32_t big = Alloc(64);  // raw 96, big
  const uint32_t c = Alloc(48);    // raw 80
  heap_.OnFree(a, Deallocator::Free, 2);
  heap_.OnFree(big, Deallocator::Free, 2);
  // 256 > 200: the big block leaves, though a is older; 160 is within the volume.
  FreeOutcome out = heap_.OnFree(c, Deallocator::Free, 2);
  ASSERT_EQ(out.release.size(), 1u);
  EXPECT_EQ(out.release[0].raw_begin, big - 16);
  EXPECT_EQ(shadow_.Get(a), ShadowState::HeapFreed);
  EXPECT_EQ(shadow_.Get(big), ShadowState::HeapUnallocated);
}

TEST(HeapTrackerBigBlocksTest, ZeroMakesOneQueueAndABlockFillingTheVolumeLeavesAtOnce) {
  for (uint64_t big : {uint64_t{0}, uint64_t{1'000'000}}) {
    ShadowMemory shadow =
        std::move(ShadowMemory::Create(1 << 20, ShadowState::HeapUnallocated)).value();
    HeapOptions o{16, 200};
    o.freelist_big_blocks = big;
    HeapTracker heap(shadow, o);
    auto plan = [&](uint32_t size) { return *heap.PlanAllocation(size, 0); };
    const uint32_t a = heap.OnAllocated(0x10000, plan(48), 48, AllocFamily::Malloc, 1,
                                        ShadowState::Defined);  // raw 80
    const uint32_t huge = heap.OnAllocated(0x11000, plan(300), 300, AllocFamily::Malloc, 1,
                                           ShadowState::Defined);  // raw 332 > the volume
    heap.OnFree(a, Deallocator::Free, 2);
    // In whichever queue, the huge block goes to its front and leaves alone (a stays).
    FreeOutcome out = heap.OnFree(huge, Deallocator::Free, 2);
    ASSERT_EQ(out.release.size(), 1u) << big;
    EXPECT_EQ(out.release[0].raw_begin, 0x11000u) << big;
    EXPECT_EQ(shadow.Get(a), ShadowState::HeapFreed) << big;
    EXPECT_EQ(heap.stats().quarantined_bytes, 80u) << big;
  }
}

TEST_F(SmallQuarantineTest, ClientBlocksLeaveInTurnButNeverGoBackToTheAllocator) {
  // The queue keeps each block's range; whether the allocator gets it back is the family's.
  uint32_t a = Alloc(48);                            // raw 80
  uint32_t custom = Alloc(48, AllocFamily::Custom);  // raw 80, a client block
  AllocationPlan odd{4 + 40 + 4, 4};                 // an unaligned client block
  uint32_t pool = heap_.OnAllocated(0x20003, odd, 40, AllocFamily::Mempool, 1,
                                    ShadowState::Defined);  // raw 48
  uint32_t b = Alloc(48);                                   // raw 80
  uint32_t c = Alloc(48);                                   // raw 80
  EXPECT_TRUE(heap_.OnFree(a, Deallocator::Free, 2).release.empty());
  EXPECT_TRUE(heap_.OnFree(custom, Deallocator::Custom, 2).release.empty());
  // 80 + 80 + 48 = 208 > 200: a leaves first and goes back.
  FreeOutcome out = heap_.OnFree(pool, Deallocator::Custom, 2);
  ASSERT_EQ(out.release.size(), 1u);
  EXPECT_EQ(out.release[0].raw_begin, a - 16);
  // 128 + 80 = 208: the custom block leaves, and goes back to nobody.
  out = heap_.OnFree(b, Deallocator::Free, 2);
  EXPECT_TRUE(out.release.empty());
  EXPECT_EQ(shadow_.Get(custom), ShadowState::HeapUnallocated);
  EXPECT_FALSE(heap_.Describe(custom).has_value());
  EXPECT_EQ(heap_.stats().quarantined_bytes, 48u + 80);
  // 128 + 80 = 208: the unaligned pool chunk leaves (nobody gets it), then nothing else.
  out = heap_.OnFree(c, Deallocator::Free, 2);
  EXPECT_TRUE(out.release.empty());
  EXPECT_EQ(shadow_.Get(pool), ShadowState::HeapUnallocated);
  EXPECT_EQ(heap_.OnFree(pool, Deallocator::Custom, 2).verdict, FreeVerdict::InvalidFree);
  // From here on only allocator blocks wait: each leaves to the allocator, oldest first.
  uint32_t d = Alloc(48);
  out = heap_.OnFree(d, Deallocator::Free, 2);
  ASSERT_EQ(out.release.size(), 1u);
  EXPECT_EQ(out.release[0].raw_begin, b - 16);
  EXPECT_EQ(heap_.OnFree(c, Deallocator::Free, 2).verdict, FreeVerdict::DoubleFree);
}

TEST_F(SmallQuarantineTest, AQuarantinedBlockReusedBehindOurBackLeavesTheQueue) {
  uint32_t a = Alloc(48);
  heap_.OnFree(a, Deallocator::Free, 2);
  EXPECT_EQ(heap_.stats().quarantined_bytes, 80u);
  // The allocator hands a's range out again (a free the tracker never saw): a's record and
  // its place in the quarantine go, so it is never evicted over the new block.
  auto plan = heap_.PlanAllocation(48, 0);
  uint32_t again =
      heap_.OnAllocated(a - 16, *plan, 48, AllocFamily::Malloc, 1, ShadowState::Defined);
  EXPECT_EQ(again, a);
  EXPECT_EQ(heap_.stats().quarantined_bytes, 0u);
  uint32_t b = Alloc(150);  // raw 182 > 200 - 0: fills the quarantine past its volume alone
  FreeOutcome out = heap_.OnFree(b, Deallocator::Free, 2);
  EXPECT_TRUE(out.release.empty());  // 182 <= 200
  out = heap_.OnFree(Alloc(48), Deallocator::Free, 2);
  ASSERT_EQ(out.release.size(), 1u);
  EXPECT_EQ(out.release[0].raw_begin, b - 16);  // not a's range: that block is live
  EXPECT_NE(heap_.FindLive(again), nullptr);
  EXPECT_EQ(shadow_.Get(again), ShadowState::Defined);
}

TEST(HeapTrackerRedzoneTest, ZeroRedzoneMeansNoPadding) {
  auto shadow = std::move(ShadowMemory::Create(65536, ShadowState::HeapUnallocated)).value();
  HeapTracker heap(shadow, HeapOptions{0, 1000});
  auto plan = heap.PlanAllocation(10, 0);
  EXPECT_EQ(plan->leading, 0u);
  EXPECT_EQ(plan->raw_size, 10u);
  uint32_t p = heap.OnAllocated(0x100, *plan, 10, AllocFamily::Malloc, 1, ShadowState::Defined);
  EXPECT_EQ(p, 0x100u);
  EXPECT_EQ(shadow.Get(0x10a), ShadowState::HeapUnallocated);
}

}  // namespace
}  // namespace wasmgrind::memcheck
