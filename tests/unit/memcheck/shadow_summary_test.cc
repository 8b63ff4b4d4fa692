// The shadow's chunk summary (memcheck/shadow_summary.h), through ShadowMemory: a long range
// checked once is known clean, and every way the shadow can change under it makes the next
// check see the change. A summary that kept a stale "clean" would hide errors, so each
// writer is tested after the range was learned.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "memcheck/shadow_memory.h"

namespace wasmgrind::memcheck {
namespace {

constexpr uint64_t kChunk = ShadowSummary::kChunkBytes;
constexpr uint64_t kSize = 64 * kChunk;
// A long range, not chunk-aligned at either end.
constexpr uint64_t kBegin = 3 * kChunk + 100, kLength = 40 * kChunk + 7;

ShadowMemory Make() {
  auto shadow = ShadowMemory::Create(kSize, ShadowState::Defined);
  EXPECT_TRUE(shadow.ok()) << shadow.error();
  return std::move(shadow).value();
}

// Checks the range so that its chunks are learned clean.
void Learn(const ShadowMemory& s) {
  ASSERT_TRUE(s.AllDefined(kBegin, kLength));
  ASSERT_TRUE(s.AllAddressable(kBegin, kLength));
}

TEST(ShadowSummaryTest, RepaintsAfterACheckAreSeen) {
  // Every state, at a byte in the middle of a whole chunk, at a chunk's first and last byte,
  // and in the partial chunks at either end.
  for (uint64_t at : {kBegin, kBegin + 5000, 10 * kChunk, 11 * kChunk - 1, kBegin + kLength - 1}) {
    for (ShadowState state : {ShadowState::Undefined, ShadowState::HeapRedzone,
                              ShadowState::HeapFreed, ShadowState::NoAccess}) {
      ShadowMemory s = Make();
      Learn(s);
      ASSERT_TRUE(s.SetRange(at, 1, state));
      EXPECT_FALSE(s.AllDefined(kBegin, kLength)) << at;
      EXPECT_EQ(s.AllAddressable(kBegin, kLength), IsAddressable(state)) << at;
      auto bad = s.FirstNotDefined(kBegin, kLength);
      ASSERT_TRUE(bad.has_value());
      EXPECT_EQ(bad->address, at);
      EXPECT_EQ(bad->state, state);
      if (!IsAddressable(state)) {
        auto unaddressable = s.FirstUnaddressable(kBegin, kLength);
        ASSERT_TRUE(unaddressable.has_value());
        EXPECT_EQ(unaddressable->address, at);
      }
    }
  }
}

TEST(ShadowSummaryTest, StoredVBitsAfterACheckAreSeen) {
  for (uint64_t vbits : {uint64_t{0xff}, uint64_t{0x0f00}, ~uint64_t{0}}) {
    ShadowMemory s = Make();
    Learn(s);
    s.StoreVBits(20 * kChunk + 8, 8, vbits);
    EXPECT_FALSE(s.AllDefined(kBegin, kLength)) << vbits;
    EXPECT_TRUE(s.AllAddressable(kBegin, kLength)) << vbits;
    s.StoreVBits(20 * kChunk + 8, 8, 0);  // defined again: the scan learns it anew
    EXPECT_TRUE(s.AllDefined(kBegin, kLength)) << vbits;
  }
}

TEST(ShadowSummaryTest, CopiesCarryUndefinedBytesIntoKnownChunks) {
  ShadowMemory s = Make();
  const uint64_t src = 48 * kChunk, length = 12 * kChunk;
  Learn(s);
  ASSERT_TRUE(s.SetRange(src + 3 * kChunk + 17, 2, ShadowState::Undefined));
  ASSERT_TRUE(s.CopyRange(kBegin, src, length));
  EXPECT_FALSE(s.AllDefined(kBegin, kLength));
  EXPECT_EQ(s.FirstNotDefined(kBegin, kLength)->address, kBegin + 3 * kChunk + 17);
  // A mixed copy (an unaddressable source byte) too.
  ShadowMemory t = Make();
  Learn(t);
  ASSERT_TRUE(t.SetRange(src, 1, ShadowState::HeapRedzone));
  ASSERT_TRUE(t.SetRange(src + 9 * kChunk, 1, ShadowState::Undefined));
  ASSERT_TRUE(t.CopyRange(kBegin, src, length));
  EXPECT_EQ(t.FirstNotDefined(kBegin, kLength)->address, kBegin + 9 * kChunk);
}

TEST(ShadowSummaryTest, DefinedCopiesAndPaintsKeepTheRangeClean) {
  ShadowMemory s = Make();
  ASSERT_TRUE(s.SetRange(kBegin, kLength, ShadowState::Undefined));
  EXPECT_FALSE(s.AllDefined(kBegin, kLength));
  s.SetAddressable(kBegin, kLength, ShadowState::Defined);  // memset
  EXPECT_TRUE(s.AllDefined(kBegin, kLength));
  // A defined copy over a defined range (skipped) and over an undefined one (done).
  ASSERT_TRUE(s.CopyRange(kBegin, 50 * kChunk, 10 * kChunk));
  EXPECT_TRUE(s.AllDefined(kBegin, kLength));
  ASSERT_TRUE(s.SetRange(kBegin + kChunk, 1, ShadowState::Undefined));
  ASSERT_TRUE(s.CopyRange(kBegin, 50 * kChunk, 10 * kChunk));
  EXPECT_TRUE(s.AllDefined(kBegin, kLength));
  // memset of undefined bytes (a client request) over the learned range.
  s.SetAddressable(kBegin + 7 * kChunk, 3, ShadowState::Undefined);
  EXPECT_EQ(s.FirstNotDefined(kBegin, kLength)->address, kBegin + 7 * kChunk);
}

TEST(ShadowSummaryTest, GrowthAddsUnknownChunks) {
  ShadowMemory s = Make();
  ASSERT_TRUE(s.AllDefined(0, kSize));
  ASSERT_TRUE(s.Grow(2 * kSize, ShadowState::HeapUnallocated).ok());
  EXPECT_TRUE(s.AllDefined(0, kSize));
  EXPECT_FALSE(s.AllAddressable(0, 2 * kSize));
  EXPECT_EQ(s.FirstUnaddressable(kChunk, 2 * kSize - kChunk)->address, kSize);
}

// Short paints (the heap hooks' redzones and blocks) take SetRange's inline path: each
// chunk one touches, the one it starts in and the one it ends in, must lose what it no longer
// is, wherever the range sits on a chunk's edge and whatever its length up to past the path's
// limit.
TEST(ShadowSummaryTest, ShortPaintsAcrossAChunkEdgeAreSeen) {
  const uint64_t edge = 20 * kChunk;
  for (uint64_t length = 1; length <= 70; ++length) {
    for (uint64_t before : {uint64_t{0}, uint64_t{1}, length / 2, length - 1, length}) {
      const uint64_t at = edge - before;
      for (ShadowState state : {ShadowState::Undefined, ShadowState::HeapRedzone}) {
        ShadowMemory s = Make();
        Learn(s);
        ASSERT_TRUE(s.SetRange(at, length, state));
        // Each chunk the range reaches, checked from its own start: a stale "clean" bit on
        // either one would let the check skip it.
        const uint64_t first_chunk_check = at - at % kChunk;
        for (uint64_t from : {first_chunk_check, edge}) {
          const uint64_t expect = std::max(at, from);
          if (expect >= at + length) continue;
          auto bad = s.FirstNotDefined(from, 4 * kChunk);
          ASSERT_TRUE(bad.has_value()) << length << " " << before;
          EXPECT_EQ(bad->address, expect) << length << " " << before;
          EXPECT_EQ(s.AllAddressable(from, 4 * kChunk), IsAddressable(state));
        }
        // Repainted defined, the chunks are learned clean again.
        ASSERT_TRUE(s.SetRange(at, length, ShadowState::Defined));
        EXPECT_TRUE(s.AllDefined(kBegin, kLength)) << length << " " << before;
      }
    }
  }
}

// PaintBlock is SetRange of the raw range, then of the user's bytes: the same bytes and the
// same summary, short block or long.
TEST(ShadowSummaryTest, PaintBlockIsTwoSetRanges) {
  for (uint64_t user_length : {uint64_t{0}, uint64_t{1}, uint64_t{8}, uint64_t{31}, uint64_t{32},
                               uint64_t{33}, uint64_t{100}, 2 * kChunk}) {
    for (uint64_t lead : {uint64_t{0}, uint64_t{16}}) {
      for (uint64_t trail : {uint64_t{0}, uint64_t{16}, uint64_t{23}}) {
        for (ShadowState contents : {ShadowState::Defined, ShadowState::Undefined}) {
          const uint64_t raw = 30 * kChunk - 20, raw_length = lead + user_length + trail;
          ShadowMemory a = Make(), b = Make();
          Learn(a);
          Learn(b);
          a.PaintBlock(raw, raw_length, ShadowState::HeapRedzone, raw + lead, user_length,
                       contents);
          ASSERT_TRUE(b.SetRange(raw, raw_length, ShadowState::HeapRedzone));
          ASSERT_TRUE(b.SetRange(raw + lead, user_length, contents));
          ASSERT_EQ(0, std::memcmp(a.base() + raw - 64, b.base() + raw - 64, raw_length + 128))
              << user_length << " " << lead << " " << trail;
          for (uint64_t from : {kBegin, 30 * kChunk, raw + lead}) {
            EXPECT_EQ(a.FirstNotDefined(from, 8 * kChunk), b.FirstNotDefined(from, 8 * kChunk));
            EXPECT_EQ(a.FirstUnaddressable(from, 8 * kChunk),
                      b.FirstUnaddressable(from, 8 * kChunk));
          }
        }
      }
    }
  }
}

// The C stack's shadow is written by JIT code directly (frames repainted inline): a write
// there that the summary never sees must still be found by the next check.
TEST(ShadowSummaryTest, TheStackIsNeverSummarized) {
  ShadowMemory s = Make();
  s.SetStackRange(kBegin + kChunk, kBegin + 6 * kChunk);
  Learn(s);
  for (uint64_t at : {kBegin + kChunk, kBegin + 4 * kChunk, kBegin + 6 * kChunk - 1}) {
    s.base()[at] = ToByte(ShadowState::BelowStackPointer);
    EXPECT_FALSE(s.AllAddressable(kBegin, kLength)) << at;
    EXPECT_EQ(s.FirstUnaddressable(kBegin, kLength)->address, at);
    s.base()[at] = ToByte(ShadowState::Defined);
  }
  // Outside the stack the summary is trusted: the same write behind its back goes unseen
  // (which is why JIT code writes nothing but zeros there, and why the stack is excluded).
  const uint64_t outside = kBegin + 10 * kChunk;
  ASSERT_TRUE(s.AllAddressable(kBegin, kLength));
  s.base()[outside] = ToByte(ShadowState::BelowStackPointer);
  EXPECT_TRUE(s.AllAddressable(kBegin, kLength));
  s.base()[outside] = ToByte(ShadowState::Defined);
}

}  // namespace
}  // namespace wasmgrind::memcheck
