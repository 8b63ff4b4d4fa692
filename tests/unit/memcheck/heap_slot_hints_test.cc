// HeapTracker's slot hints (HeapTracker::set_slot_hints): a free finds its block through the
// slot kept in the leading redzone, and a hint that lies (a program that wrote the redzone
// after its error was reported, a block long evicted, memory never allocated) never gives
// another answer than the tables would.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "memcheck/heap_tracker.h"

namespace wasmgrind::memcheck {
namespace {

constexpr uint32_t kMemoryBytes = 1 << 20;

class HeapSlotHintsTest : public ::testing::Test {
 protected:
  HeapSlotHintsTest()
      : shadow_(
            std::move(ShadowMemory::Create(kMemoryBytes, ShadowState::HeapUnallocated)).value()),
        heap_(shadow_, HeapOptions{16, 200, /*allocator_is_exclusive=*/true}),
        memory_(kMemoryBytes, 0) {
    heap_.set_slot_hints(memory_.data());
  }

  uint32_t Alloc(uint32_t size) {
    auto plan = heap_.PlanAllocation(size, 0);
    EXPECT_TRUE(plan.has_value());
    uint32_t raw = next_;
    next_ += (plan->raw_size + 15) / 16 * 16;
    return heap_.OnAllocated(raw, *plan, size, AllocFamily::Malloc, 1, ShadowState::Defined);
  }
  uint32_t Hint(uint32_t pointer) const {
    uint32_t hint;
    std::memcpy(&hint, memory_.data() + pointer - 4, 4);
    return hint;
  }
  void SetHint(uint32_t pointer, uint32_t hint) {
    std::memcpy(memory_.data() + pointer - 4, &hint, 4);
  }

  ShadowMemory shadow_;
  HeapTracker heap_;
  std::vector<uint8_t> memory_;
  uint32_t next_ = 0x10000;
};

TEST_F(HeapSlotHintsTest, EachBlockNamesItsSlotInItsLeadingRedzone) {
  uint32_t a = Alloc(8);
  uint32_t b = Alloc(8);
  EXPECT_NE(Hint(a), 0u);
  EXPECT_NE(Hint(b), 0u);
  EXPECT_NE(Hint(a), Hint(b));
  EXPECT_EQ(heap_.OnFree(a, Deallocator::Free, 2).verdict, FreeVerdict::Freed);
  EXPECT_EQ(heap_.OnFree(a, Deallocator::Free, 3).verdict, FreeVerdict::DoubleFree);
  EXPECT_EQ(heap_.OnFree(b, Deallocator::Delete, 2).verdict, FreeVerdict::Mismatched);
}

TEST_F(HeapSlotHintsTest, AWrongHintFallsBackToTheTables) {
  uint32_t a = Alloc(8);
  uint32_t b = Alloc(8);
  // b's redzone names a's slot, then nonsense: b is still the block freed, a stays live.
  SetHint(b, Hint(a));
  FreeOutcome out = heap_.OnFree(b, Deallocator::Free, 2);
  EXPECT_EQ(out.verdict, FreeVerdict::Freed);
  ASSERT_TRUE(out.block.has_value());
  EXPECT_EQ(out.block->user_begin, b);
  EXPECT_NE(heap_.FindLive(a), nullptr);
  SetHint(a, 0xffffffff);
  EXPECT_EQ(heap_.OnFree(a, Deallocator::Free, 2).verdict, FreeVerdict::Freed);
  // An interior pointer whose "redzone" (the block's own bytes) holds a's slot.
  uint32_t c = Alloc(32);
  SetHint(c + 16, Hint(c));
  EXPECT_EQ(heap_.OnFree(c + 16, Deallocator::Free, 2).verdict, FreeVerdict::InvalidFree);
  EXPECT_NE(heap_.FindLive(c), nullptr);
}

TEST_F(HeapSlotHintsTest, AnEvictedBlocksHintFindsNothing) {
  // 40 raw bytes each; the quarantine holds 200: freeing the sixth evicts the first, and
  // nothing reuses its slot after.
  std::vector<uint32_t> blocks;
  for (int i = 0; i < 6; ++i) blocks.push_back(Alloc(8));
  const uint32_t a = blocks[0], a_hint = Hint(a);
  for (uint32_t p : blocks) heap_.OnFree(p, Deallocator::Free, 2);
  EXPECT_FALSE(heap_.Describe(a).has_value());  // a left the quarantine
  ASSERT_EQ(Hint(a), a_hint);                   // its redzone still names its old slot
  EXPECT_EQ(heap_.OnFree(a, Deallocator::Free, 2).verdict, FreeVerdict::InvalidFree);
  EXPECT_EQ(heap_.OnFree(blocks[1], Deallocator::Free, 2).verdict, FreeVerdict::DoubleFree);
}

TEST_F(HeapSlotHintsTest, PointersAtTheEdgesOfMemoryAreNoHints) {
  EXPECT_EQ(heap_.OnFree(2, Deallocator::Free, 2).verdict, FreeVerdict::InvalidFree);
  EXPECT_EQ(heap_.OnFree(kMemoryBytes, Deallocator::Free, 2).verdict, FreeVerdict::InvalidFree);
  EXPECT_EQ(heap_.OnFree(0xfffffff0, Deallocator::Free, 2).verdict, FreeVerdict::InvalidFree);
}

}  // namespace
}  // namespace wasmgrind::memcheck
