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
  AddressContext context_{1 << 16, 0x8000, std::nullopt, nullptr, {}, {}};
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

// VALGRIND_CREATE_BLOCK's blocks describe an address before the heap does (valgrind 3.19 on a
// native build: "Address 0x4a42046 is 2 bytes inside a header of size 8 client-defined" for a
// block described inside a malloc'd one, then the stack where it was described).
TEST_F(ErrorBuildersTest, DescribedBlocksComeBeforeTheHeap) {
  uint32_t p = Alloc(0x1000, 32);
  const DescribedBlock blocks[] = {{p + 4, 8, "header", 21, /*discarded=*/true},
                                   {p + 4, 8, "header", 22, /*discarded=*/false}};
  AddressContext context = context_;
  context.described = blocks;
  MemcheckError e = InvalidAccessError(AccessKind::Read, p + 6, 1,
                                       BadByte{p + 6, ShadowState::NoAccess}, 5, &heap_, context);
  ASSERT_EQ(e.aux.size(), 1u);
  EXPECT_EQ(e.aux[0].text, "Address 0x1016 is 2 bytes inside a header of size 8 client-defined");
  EXPECT_EQ(e.aux[0].stack, 22u);
  // Past its end, the heap block describes the address again.
  e = InvalidAccessError(AccessKind::Read, p + 12, 1, BadByte{p + 12, ShadowState::NoAccess}, 5,
                         &heap_, context);
  EXPECT_EQ(e.aux[0].text, "Address 0x101c is 12 bytes inside a block of size 32 alloc'd");
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
  MemcheckError e =
      InvalidAccessError(AccessKind::Read, 0x7ffc, 4,
                         BadByte{0x7ffc, ShadowState::BelowStackPointer}, 5, &heap_, context_);
  ASSERT_EQ(e.aux.size(), 2u);
  EXPECT_EQ(e.aux[0].text, "Address 0x7ffc is on thread 1's stack");
  EXPECT_EQ(e.aux[1].text, "4 bytes below stack pointer");
}

TEST_F(ErrorBuildersTest, OutsideLinearMemory) {
  MemcheckError e =
      InvalidAccessError(AccessKind::Write, 0x12345678, 8,
                         BadByte{0x12345678, ShadowState::OutsideMemory}, 5, &heap_, context_);
  ASSERT_EQ(e.aux.size(), 1u);
  EXPECT_EQ(e.aux[0].text, "Address 0x12345678 is outside linear memory of size 0x10000");
  MemcheckError straddle =
      InvalidAccessError(AccessKind::Write, 0xfffc, 8, BadByte{0x10000, ShadowState::OutsideMemory},
                         5, &heap_, context_);
  EXPECT_EQ(straddle.aux[0].text,
            "Address 0xfffc runs past the end of linear memory of size 0x10000");
}

TEST_F(ErrorBuildersTest, UnknownMemoryAndNoHeap) {
  MemcheckError e = InvalidAccessError(AccessKind::Read, 0x20, 2,
                                       BadByte{0x20, ShadowState::NoAccess}, 5, nullptr, context_);
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

namespace wasmgrind::memcheck {
namespace {

// Valgrind's words for a global (native: "Address 0x10c020 is 0 bytes inside data symbol
// "default_name"" for invalid_free_global.c), also where the C stack region still covers the
// .bss; a stack address above the stack pointer is on the stack.
TEST_F(ErrorBuildersTest, GlobalsAndTheStack) {
  const std::vector<GlobalSymbol> globals = {{0x400, 32, "default_name"},
                                             {0x474, 8, "_ZL7storage"}};
  AddressContext context = context_;
  context.globals = globals;
  context.stack = AddressRange{0x420, 0x8000};
  context.stack_pointer = 0x7000;
  EXPECT_EQ(DescribeAddress(0x400, &heap_, context)[0].text,
            "Address 0x400 is 0 bytes inside data symbol \"default_name\"");
  EXPECT_EQ(DescribeAddress(0x47b, &heap_, context)[0].text,
            "Address 0x47b is 7 bytes inside data symbol \"_ZL7storage\"");
  EXPECT_EQ(DescribeAddress(0x420, &heap_, context)[0].text,
            "Address 0x420 is not stack'd, malloc'd or (recently) free'd")
      << "between the symbols, below the stack pointer";
  EXPECT_EQ(DescribeAddress(0x8010, &heap_, context)[0].text,
            "Address 0x8010 is not stack'd, malloc'd or (recently) free'd");
  EXPECT_EQ(DescribeAddress(0x7f00, &heap_, context)[0].text,
            "Address 0x7f00 is on thread 1's stack");
  auto freed =
      BadFreeError(FreeOutcome{FreeVerdict::InvalidFree, std::nullopt, {}}, 0x474, context, 5);
  ASSERT_TRUE(freed);
  EXPECT_EQ(freed->kind, ErrorKind::InvalidFree);
  ASSERT_EQ(freed->aux.size(), 1u);
  EXPECT_EQ(freed->aux[0].text, "Address 0x474 is 0 bytes inside data symbol \"_ZL7storage\"");
}

TEST_F(ErrorBuildersTest, StackOverflowSaysHowDeep) {
  MemcheckError e = StackOverflowError(0x3f0, AddressRange{0x400, 0x10400}, 5);
  EXPECT_EQ(e.kind, ErrorKind::StackOverflow);
  EXPECT_EQ(e.what, "Stack overflow in thread #1: can't grow stack to 0x3f0");
  EXPECT_EQ(e.stack, 5u);
  ASSERT_EQ(e.aux.size(), 1u);
  EXPECT_EQ(e.aux[0].text,
            "The C stack is 65,536 bytes (0x400..0x10400), this frame needs it 65,552 bytes deep");
  EXPECT_EQ(SuppressionKindOf(ErrorKind::StackOverflow, 0), "StackOverflow");
  EXPECT_STREQ(ErrorKindXmlName(ErrorKind::StackOverflow), "StackOverflow");
  PrintedFatalSignal f = StackOverflowSignal(0x3f0, AddressRange{0x400, 0x10400});
  EXPECT_EQ(f.signo, 11);
  EXPECT_EQ(f.address, std::optional<uint64_t>(0x3f0));
  EXPECT_EQ(f.reason, e.what);
  ASSERT_EQ(f.advice.size(), 3u);
  EXPECT_EQ(f.advice[2], "The C stack size used in this run was 65536.");
}

}  // namespace
}  // namespace wasmgrind::memcheck
