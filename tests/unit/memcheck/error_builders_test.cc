// Access and free errors in Valgrind's words, with the address explained from the heap, the
// stack pointer or the memory's size.
#include "memcheck/error_builders.h"

#include <gtest/gtest.h>

namespace wasmgrind::memcheck {
namespace {

class ErrorBuildersTest : public ::testing::Test {
 protected:
  ErrorBuildersTest()
      : shadow_(std::move(ShadowMemory::Create(1 << 16, ShadowState::Defined)).value()),
        heap_(shadow_, HeapOptions{}) {}

  uint32_t Alloc(uint32_t raw, uint32_t size, AllocFamily family = AllocFamily::Malloc) {
    auto plan = heap_.PlanAllocation(size, 0);
    return heap_.OnAllocated(raw, *plan, size, family, /*alloc_site=*/11, ShadowState::Defined);
  }

  ShadowMemory shadow_;
  HeapTracker heap_;
  AddressContext context_{1 << 16, 0x8000, std::nullopt, nullptr};
};

TEST_F(ErrorBuildersTest, OverflowNamesTheBlockAndItsAllocation) {
  uint32_t p = Alloc(0x1000, 10);
  auto bad = shadow_.FirstUnaddressable(p + 8, 4);
  MemcheckError e = InvalidAccessError(AccessKind::Write, p + 8, 4, *bad, 5, &heap_, context_);
  EXPECT_EQ(e.kind, ErrorKind::InvalidWrite);
  EXPECT_EQ(e.what, "Invalid write of size 4");
  EXPECT_EQ(e.stack, 5u);
  EXPECT_EQ(e.access_size, 4u);
  ASSERT_EQ(e.aux.size(), 1u);
  EXPECT_EQ(e.aux[0].text, "Address 0x1018 is 8 bytes inside a block of size 10 alloc'd");
  EXPECT_EQ(e.aux[0].stack, 11u);
}

TEST_F(ErrorBuildersTest, UseAfterFreeGivesFreeThenAllocStacks) {
  uint32_t p = Alloc(0x1000, 10);
  heap_.OnFree(p, Deallocator::Free, 12);
  auto bad = shadow_.FirstUnaddressable(p, 1);
  MemcheckError e = InvalidAccessError(AccessKind::Read, p, 1, *bad, 5, &heap_, context_);
  EXPECT_EQ(e.what, "Invalid read of size 1");
  ASSERT_EQ(e.aux.size(), 2u);
  EXPECT_EQ(e.aux[0].text, "Address 0x1010 is 0 bytes inside a block of size 10 free'd");
  EXPECT_EQ(e.aux[0].stack, 12u);
  EXPECT_EQ(e.aux[1].text, "Block was alloc'd at");
  EXPECT_EQ(e.aux[1].stack, 11u);
}

TEST_F(ErrorBuildersTest, BelowTheStackPointer) {
  shadow_.SetRange(0x7000, 0x1000, ShadowState::BelowStackPointer);
  MemcheckError e = InvalidAccessError(AccessKind::Read, 0x7ffc, 4,
                                       BadByte{0x7ffc, ShadowState::BelowStackPointer}, 5,
                                       &heap_, context_);
  ASSERT_EQ(e.aux.size(), 2u);
  EXPECT_EQ(e.aux[0].text, "Address 0x7ffc is on thread 1's stack");
  EXPECT_EQ(e.aux[1].text, "4 bytes below stack pointer");
}

TEST_F(ErrorBuildersTest, OutsideLinearMemory) {
  MemcheckError e = InvalidAccessError(AccessKind::Write, 0x12345678, 8,
                                       BadByte{0x12345678, ShadowState::OutsideMemory}, 5,
                                       &heap_, context_);
  ASSERT_EQ(e.aux.size(), 1u);
  EXPECT_EQ(e.aux[0].text, "Address 0x12345678 is outside linear memory of size 0x10000");
  MemcheckError straddle = InvalidAccessError(AccessKind::Write, 0xfffc, 8,
                                              BadByte{0x10000, ShadowState::OutsideMemory}, 5,
                                              &heap_, context_);
  EXPECT_EQ(straddle.aux[0].text,
            "Address 0xfffc runs past the end of linear memory of size 0x10000");
}

TEST_F(ErrorBuildersTest, UnknownMemoryAndNoHeap) {
  MemcheckError e = InvalidAccessError(AccessKind::Read, 0x20, 2,
                                       BadByte{0x20, ShadowState::NoAccess}, 5, nullptr,
                                       context_);
  EXPECT_EQ(e.aux[0].text, "Address 0x20 is not stack'd, malloc'd or (recently) free'd");
  EXPECT_EQ(e.aux[0].stack, kNoBacktrace);
}

TEST_F(ErrorBuildersTest, FreeErrors) {
  uint32_t p = Alloc(0x1000, 20);
  EXPECT_FALSE(BadFreeError(heap_.OnFree(0, Deallocator::Free, 3), 0, context_, 3).has_value());

  auto interior = BadFreeError(heap_.OnFree(p + 4, Deallocator::Free, 3), p + 4, context_, 3);
  ASSERT_TRUE(interior.has_value());
  EXPECT_EQ(interior->kind, ErrorKind::InvalidFree);
  EXPECT_EQ(interior->what, "Invalid free() / delete / delete[] / realloc()");
  EXPECT_EQ(interior->aux[0].text, "Address 0x1014 is 4 bytes inside a block of size 20 alloc'd");

  auto wild = BadFreeError(heap_.OnFree(0x40, Deallocator::Free, 3), 0x40, context_, 3);
  EXPECT_EQ(wild->aux[0].text, "Address 0x40 is not stack'd, malloc'd or (recently) free'd");

  EXPECT_FALSE(BadFreeError(heap_.OnFree(p, Deallocator::Free, 3), p, context_, 3).has_value());
  auto twice = BadFreeError(heap_.OnFree(p, Deallocator::Free, 4), p, context_, 4);
  EXPECT_EQ(twice->kind, ErrorKind::InvalidFree);
  EXPECT_EQ(twice->stack, 4u);
  EXPECT_EQ(twice->aux[0].text, "Address 0x1010 is 0 bytes inside a block of size 20 free'd");
  EXPECT_EQ(twice->aux[0].stack, 3u);
  EXPECT_EQ(twice->aux[1].text, "Block was alloc'd at");

  uint32_t arr = Alloc(0x2000, 16, AllocFamily::NewArray);
  auto mismatch = BadFreeError(heap_.OnFree(arr, Deallocator::Delete, 3), arr, context_, 3);
  EXPECT_EQ(mismatch->kind, ErrorKind::MismatchedFree);
  EXPECT_EQ(mismatch->what, "Mismatched free() / delete / delete []");
  EXPECT_EQ(mismatch->aux[0].text, "Address 0x2010 is 0 bytes inside a block of size 16 alloc'd");
}

}  // namespace
}  // namespace wasmgrind::memcheck
