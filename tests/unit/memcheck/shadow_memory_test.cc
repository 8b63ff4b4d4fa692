// ShadowMemory: commit on growth, painting, the scans the slow path uses, and the
// reservation's guard (a shadow byte past the memory's end is not committed).
#include "memcheck/shadow_memory.h"

#include <gtest/gtest.h>
#include <setjmp.h>
#include <signal.h>

#include <algorithm>
#include <optional>

namespace wasmgrind::memcheck {
namespace {

ShadowMemory Make(uint64_t size, ShadowState fill = ShadowState::Defined) {
  auto shadow = ShadowMemory::Create(size, fill);
  EXPECT_TRUE(shadow.ok()) << shadow.error();
  return std::move(shadow).value();
}

TEST(ShadowMemoryTest, NewMemoryHasTheFillState) {
  ShadowMemory s = Make(65536, ShadowState::HeapUnallocated);
  EXPECT_EQ(s.size(), 65536u);
  EXPECT_EQ(s.Get(0), ShadowState::HeapUnallocated);
  EXPECT_EQ(s.Get(65535), ShadowState::HeapUnallocated);
  EXPECT_EQ(s.Get(65536), ShadowState::OutsideMemory);
}

TEST(ShadowMemoryTest, ShadowOfAddressIsBasePlusAddress) {
  ShadowMemory s = Make(4096);
  ASSERT_TRUE(s.SetRange(100, 3, ShadowState::HeapRedzone));
  EXPECT_EQ(s.base()[99], 0);
  EXPECT_EQ(s.base()[100], ToByte(ShadowState::HeapRedzone));
  EXPECT_EQ(s.base()[102], ToByte(ShadowState::HeapRedzone));
  EXPECT_EQ(s.base()[103], 0);
}

// SetRange paints short ranges with overlapping word stores: every length up to past that
// path's limit paints exactly its bytes, at any alignment, and at the memory's very end.
TEST(ShadowMemoryTest, ShortRangesPaintExactlyTheirBytes) {
  constexpr uint64_t kSize = 8192;
  for (uint64_t length = 0; length <= 80; ++length) {
    for (uint64_t at : {uint64_t{4096 - 3}, uint64_t{1000}, uint64_t{1001}, kSize - length}) {
      ShadowMemory s = Make(kSize, ShadowState::HeapUnallocated);
      ASSERT_TRUE(s.SetRange(at, length, ShadowState::Undefined));
      for (uint64_t a = at >= 40 ? at - 40 : 0; a < std::min(kSize, at + length + 40); ++a) {
        const bool inside = a >= at && a < at + length;
        ASSERT_EQ(s.Get(a), inside ? ShadowState::Undefined : ShadowState::HeapUnallocated)
            << "length " << length << " at " << at << " byte " << a;
      }
    }
  }
  // A short range that leaves the memory is clipped, and says so.
  ShadowMemory s = Make(kSize, ShadowState::HeapUnallocated);
  EXPECT_FALSE(s.SetRange(kSize - 4, 8, ShadowState::Defined));
  EXPECT_EQ(s.Get(kSize - 5), ShadowState::HeapUnallocated);
  EXPECT_EQ(s.Get(kSize - 4), ShadowState::Defined);
  EXPECT_EQ(s.Get(kSize - 1), ShadowState::Defined);
  EXPECT_TRUE(s.SetRange(kSize, 0, ShadowState::Defined));
}

// A short repaint drops the partly defined bits of the bytes it paints, as a long one does.
TEST(ShadowMemoryTest, ShortRangesForgetPartlyDefinedBits) {
  ShadowMemory s = Make(8192);
  s.StoreVBits(1000, 1, 0x0f);
  s.StoreVBits(2000, 1, 0xf0);
  ASSERT_EQ(s.Get(1000), ShadowState::PartlyDefined);
  ASSERT_EQ(s.partial().chunks(), 2u);
  ASSERT_TRUE(s.SetRange(990, 40, ShadowState::HeapFreed));
  EXPECT_EQ(s.partial().chunks(), 1u);
  EXPECT_EQ(s.LoadVBits(2000, 1), 0xf0u);
  s.PaintBlock(1990, 48, ShadowState::HeapRedzone, 2006, 16, ShadowState::Undefined);
  EXPECT_EQ(s.partial().chunks(), 0u);
  EXPECT_EQ(s.Get(2000), ShadowState::HeapRedzone);
  EXPECT_EQ(s.Get(2006), ShadowState::Undefined);
}

TEST(ShadowMemoryTest, GrowKeepsOldStateAndFillsOnlyNewBytes) {
  ShadowMemory s = Make(65536);
  s.SetRange(10, 1, ShadowState::NoAccess);
  uint8_t* base = s.base();
  ASSERT_TRUE(s.Grow(uint64_t{3} * 65536, ShadowState::HeapUnallocated).ok());
  EXPECT_EQ(s.base(), base);  // never moves: JIT code keeps it
  EXPECT_EQ(s.Get(10), ShadowState::NoAccess);
  EXPECT_EQ(s.Get(65535), ShadowState::Defined);
  EXPECT_EQ(s.Get(65536), ShadowState::HeapUnallocated);
  EXPECT_EQ(s.Get(uint64_t{3} * 65536 - 1), ShadowState::HeapUnallocated);
  EXPECT_EQ(s.Get(uint64_t{3} * 65536), ShadowState::OutsideMemory);
}

TEST(ShadowMemoryTest, GrowToOddSizeThenAgainFillsTheTailOfThePage) {
  ShadowMemory s = Make(100, ShadowState::Defined);
  ASSERT_TRUE(s.Grow(200, ShadowState::BelowStackPointer).ok());
  EXPECT_EQ(s.Get(99), ShadowState::Defined);
  EXPECT_EQ(s.Get(100), ShadowState::BelowStackPointer);
  EXPECT_EQ(s.Get(199), ShadowState::BelowStackPointer);
}

TEST(ShadowMemoryTest, GrowBeyondFourGiBFails) {
  ShadowMemory s = Make(0);
  auto r = s.Grow(kMaxShadowedBytes + 1, ShadowState::Defined);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("cannot shadow"), std::string::npos);
  EXPECT_FALSE(ShadowMemory::Create(kMaxShadowedBytes + 1, ShadowState::Defined).ok());
}

TEST(ShadowMemoryTest, SetRangeClipsAtTheEndAndSaysSo) {
  ShadowMemory s = Make(4096);
  EXPECT_FALSE(s.SetRange(4090, 100, ShadowState::HeapFreed));
  EXPECT_EQ(s.Get(4095), ShadowState::HeapFreed);
  EXPECT_FALSE(s.SetRange(5000, 1, ShadowState::HeapFreed));
  EXPECT_TRUE(s.SetRange(4096, 0, ShadowState::HeapFreed));
}

TEST(ShadowMemoryTest, FirstUnaddressableFindsTheFirstBadByte) {
  ShadowMemory s = Make(4096);
  EXPECT_EQ(s.FirstUnaddressable(0, 4096), std::nullopt);
  s.SetRange(1000, 8, ShadowState::HeapRedzone);
  s.SetRange(990, 4, ShadowState::Undefined);  // addressable: no error here
  EXPECT_EQ(s.FirstUnaddressable(996, 8), (BadByte{1000, ShadowState::HeapRedzone}));
  EXPECT_EQ(s.FirstUnaddressable(0, 4096), (BadByte{1000, ShadowState::HeapRedzone}));
  EXPECT_EQ(s.FirstUnaddressable(1008, 16), std::nullopt);
  EXPECT_EQ(s.FirstNotDefined(0, 4096), (BadByte{990, ShadowState::Undefined}));
}

TEST(ShadowMemoryTest, ScanPastTheEndReportsOutsideMemory) {
  ShadowMemory s = Make(4096);
  EXPECT_EQ(s.FirstUnaddressable(4094, 4), (BadByte{4096, ShadowState::OutsideMemory}));
  // An effective address past 4 GiB (index + offset) is still described.
  EXPECT_EQ(s.FirstUnaddressable(0x100000010ull, 4),
            (BadByte{0x100000010ull, ShadowState::OutsideMemory}));
  EXPECT_EQ(s.FirstUnaddressable(4096, 0), std::nullopt);
}

TEST(ShadowMemoryTest, UnalignedScansSeeEveryByte) {
  ShadowMemory s = Make(256);
  for (uint64_t bad = 0; bad < 64; ++bad) {
    s.SetRange(0, 256, ShadowState::Defined);
    s.SetRange(bad, 1, ShadowState::NoAccess);
    for (uint64_t start = 0; start <= bad; ++start) {
      ASSERT_EQ(s.FirstUnaddressable(start, 64), (BadByte{bad, ShadowState::NoAccess}))
          << start << " " << bad;
    }
    EXPECT_EQ(s.FirstUnaddressable(bad + 1, 64), std::nullopt);
  }
}

// The scans go 64, 16, 8 or 4 bytes at a time with overlapping tails: every length from 0 to
// 200, from every start alignment, with one bad byte anywhere in it (or none), against a
// byte-by-byte reading, and a range ending exactly at the memory's end (nothing read past it).
TEST(ShadowMemoryTest, ScansOfEveryLengthFindTheFirstBadByte) {
  ShadowMemory s = Make(4096);
  const uint64_t end = s.size();
  for (uint64_t length = 0; length <= 200; ++length) {
    for (uint64_t start : {uint64_t{0}, uint64_t{1}, uint64_t{7}, uint64_t{13}, end - length}) {
      for (uint64_t bad = 0; bad <= length; ++bad) {
        s.SetRange(0, end, ShadowState::Undefined);  // addressable, not defined
        s.SetRange(start, length, ShadowState::Defined);
        if (bad < length) s.SetRange(start + bad, 1, ShadowState::HeapFreed);
        if (bad + 2 < length) s.SetRange(start + bad + 2, 1, ShadowState::NoAccess);
        std::optional<BadByte> want;
        if (bad < length) want = BadByte{start + bad, ShadowState::HeapFreed};
        ASSERT_EQ(s.FirstUnaddressable(start, length), want) << start << "+" << length;
        ASSERT_EQ(s.FirstNotDefined(start, length), want) << start << "+" << length;
        // Undefined where addressable: the bad bytes keep their state.
        s.SetAddressable(start, length, ShadowState::Undefined);
        for (uint64_t i = 0; i < length; ++i) {
          ShadowState expected = i == bad                       ? ShadowState::HeapFreed
                                 : i == bad + 2 && bad < length ? ShadowState::NoAccess
                                                                : ShadowState::Undefined;
          ASSERT_EQ(s.Get(start + i), expected) << start << "+" << length << " byte " << i;
        }
      }
    }
  }
}

// The range fast paths (ShadowAllDefined, ShadowAllAddressable, AllDefined) test short
// ranges with overlapping words and long ones 64 bytes at a time: a range fine except for any
// one byte, its first or its last among them, must fail, from every alignment, also when it
// ends exactly at the memory's end (the next page is not committed: a read past it faults).
TEST(ShadowMemoryTest, RangeFastPathsSeeEveryByte) {
  ShadowMemory s = Make(4096);
  const uint64_t end = s.size();
  for (uint64_t length = 0; length <= 150; ++length) {
    for (uint64_t start : {uint64_t{0}, uint64_t{3}, uint64_t{8}, uint64_t{61}, end - length}) {
      for (uint64_t bad = 0; bad <= length; ++bad) {
        for (ShadowState state : {ShadowState::Undefined, ShadowState::PartlyDefined,
                                  ShadowState::HeapRedzone, ShadowState::NoAccess}) {
          s.SetRange(0, end, ShadowState::HeapFreed);  // all around the range: bad
          s.SetRange(start, length, ShadowState::Defined);
          if (bad < length) s.base()[start + bad] = ToByte(state);
          const uint8_t* p = s.base() + start;
          bool fine = bad == length;
          ASSERT_EQ(ShadowAllDefined(p, length), fine) << start << "+" << length << " @" << bad;
          ASSERT_EQ(s.AllDefined(start, length), fine) << start << "+" << length << " @" << bad;
          ASSERT_EQ(ShadowAllAddressable(p, length), fine || IsAddressable(state))
              << start << "+" << length << " @" << bad;
        }
      }
    }
  }
  s.SetRange(0, end, ShadowState::Defined);
  EXPECT_TRUE(s.AllDefined(end - 8, 8));
  EXPECT_FALSE(s.AllDefined(end - 8, 9));  // one byte past the memory
  EXPECT_FALSE(s.AllDefined(end + 1, 0));
  EXPECT_TRUE(s.AllDefined(end, 0));
}

TEST(ShadowMemoryTest, TheStackStateIsJustBelowTheBase) {
  ShadowMemory s = Make(4096);
  StackShadowState& state = s.stack_state();
  EXPECT_EQ(reinterpret_cast<uint8_t*>(&state), s.base() - kStackStateOffset);
  state.stack_pointer = 1234;  // writable, and no shadow byte changes
  state.fresh_pattern = ~uint64_t{0};
  EXPECT_EQ(s.Get(0), ShadowState::Defined);
  ShadowMemory moved = std::move(s);
  EXPECT_EQ(moved.stack_state().stack_pointer, 1234u);
}

sigjmp_buf fault_jump;
void OnFault(int) { siglongjmp(fault_jump, 1); }

TEST(ShadowMemoryTest, ShadowPastTheMemoryIsNotCommitted) {
  ShadowMemory s = Make(65536);
  struct sigaction sa = {}, old_segv = {}, old_bus = {};
  sa.sa_handler = OnFault;
  sigaction(SIGSEGV, &sa, &old_segv);
  sigaction(SIGBUS, &sa, &old_bus);
  volatile bool faulted = false;
  if (sigsetjmp(fault_jump, 1) == 0) {
    volatile uint8_t v = s.base()[65536 + 4096];
    (void)v;
  } else {
    faulted = true;
  }
  sigaction(SIGSEGV, &old_segv, nullptr);
  sigaction(SIGBUS, &old_bus, nullptr);
  EXPECT_TRUE(faulted);
}

TEST(ShadowMemoryTest, MoveTransfersTheReservation) {
  ShadowMemory a = Make(4096);
  uint8_t* base = a.base();
  ShadowMemory b = std::move(a);
  EXPECT_EQ(b.base(), base);
  EXPECT_EQ(a.base(), nullptr);  // NOLINT(bugprone-use-after-move): the moved-from state is tested
  EXPECT_EQ(b.size(), 4096u);
}

TEST(ShadowLayoutTest, AddressableStatesAreBelowTheLine) {
  EXPECT_TRUE(IsAddressable(ShadowState::Defined));
  EXPECT_TRUE(IsAddressable(ShadowState::Undefined));
  EXPECT_TRUE(IsAddressable(ShadowState::PartlyDefined));
  for (ShadowState s :
       {ShadowState::HeapRedzone, ShadowState::HeapFreed, ShadowState::HeapUnallocated,
        ShadowState::BelowStackPointer, ShadowState::NoAccess, ShadowState::OutsideMemory}) {
    EXPECT_FALSE(IsAddressable(s)) << ShadowStateName(s);
  }
  EXPECT_EQ(ToByte(ShadowState::Defined), 0);  // the JIT's fast path compares with 0
}

}  // namespace
}  // namespace wasmgrind::memcheck

namespace wasmgrind::memcheck {
namespace {

TEST(ShadowMemoryCopyTest, StateTravelsWithTheBytesAndOverlapWorks) {
  auto s = std::move(ShadowMemory::Create(4096, ShadowState::Defined)).value();
  s.SetRange(100, 4, ShadowState::Undefined);
  ASSERT_TRUE(s.CopyRange(200, 98, 8));
  EXPECT_EQ(s.Get(201), ShadowState::Defined);
  EXPECT_EQ(s.Get(202), ShadowState::Undefined);
  EXPECT_EQ(s.Get(205), ShadowState::Undefined);
  EXPECT_EQ(s.Get(206), ShadowState::Defined);
  ASSERT_TRUE(s.CopyRange(101, 100, 4));  // overlapping, as memmove
  EXPECT_EQ(s.Get(104), ShadowState::Undefined);
  EXPECT_FALSE(s.CopyRange(4090, 0, 8));
  EXPECT_FALSE(s.CopyRange(0, 4095, 2));
  EXPECT_TRUE(s.CopyRange(4096, 0, 0));
}

}  // namespace
}  // namespace wasmgrind::memcheck
