// V bits in the shadow (part 2): ShadowMemory's LoadVBits/StoreVBits and the side table of
// partly defined bytes (PartialVBits), which every repaint and copy must keep in step.
#include <gtest/gtest.h>

#include "memcheck/shadow_memory.h"

namespace wasmgrind::memcheck {
namespace {

class VBitsTest : public ::testing::Test {
 protected:
  ShadowMemory shadow_ = std::move(ShadowMemory::Create(0x10000, ShadowState::Defined)).value();
};

TEST_F(VBitsTest, WholeAndPartialBytesRoundTrip) {
  // Byte 0 defined, byte 1 low nibble undefined, byte 2 undefined, byte 3 one bit undefined.
  shadow_.StoreVBits(0x100, 4, 0x80ff0f00);
  EXPECT_EQ(shadow_.Get(0x100), ShadowState::Defined);
  EXPECT_EQ(shadow_.Get(0x101), ShadowState::PartlyDefined);
  EXPECT_EQ(shadow_.Get(0x102), ShadowState::Undefined);
  EXPECT_EQ(shadow_.Get(0x103), ShadowState::PartlyDefined);
  EXPECT_EQ(shadow_.LoadVBits(0x100, 4), 0x80ff0f00u);
  EXPECT_EQ(shadow_.LoadVBits(0x101, 1), 0x0fu);
  EXPECT_EQ(shadow_.LoadVBits(0x102, 2), 0x80ffu);
  EXPECT_EQ(shadow_.partial().chunks(), 1u);  // both partial bytes share an 8-byte entry
  // Eight bytes, across an entry boundary.
  shadow_.StoreVBits(0x204, 8, 0x01000000ff00fe00);
  EXPECT_EQ(shadow_.LoadVBits(0x204, 8), 0x01000000ff00fe00u);
  EXPECT_EQ(shadow_.partial().chunks(), 3u);
  // A bit-field write into an undefined byte: read, modify the low 3 bits, store.
  shadow_.SetRange(0x300, 1, ShadowState::Undefined);
  uint64_t v = shadow_.LoadVBits(0x300, 1) & ~uint64_t{0x7};
  shadow_.StoreVBits(0x300, 1, v);
  EXPECT_EQ(shadow_.LoadVBits(0x300, 1), 0xf8u);
}

TEST_F(VBitsTest, WideValuesAndTheMemorysEnd) {
  shadow_.StoreVBits(0x400, 16, 0xff);  // both halves: bytes 0 and 8 undefined
  EXPECT_EQ(shadow_.Get(0x400), ShadowState::Undefined);
  EXPECT_EQ(shadow_.Get(0x401), ShadowState::Defined);
  EXPECT_EQ(shadow_.Get(0x408), ShadowState::Undefined);
  EXPECT_EQ(shadow_.LoadVBits(0x400, 16), 0xffu);  // the low 8 bytes
  // Bytes past the memory's end read as defined and are not written.
  shadow_.SetRange(0xfffe, 2, ShadowState::Undefined);
  EXPECT_EQ(shadow_.LoadVBits(0xfffe, 4), 0xffffu);
  shadow_.StoreVBits(0xfffe, 4, 0);
  EXPECT_EQ(shadow_.LoadVBits(0xfffe, 2), 0u);
  EXPECT_EQ(shadow_.LoadVBits(0x10000, 4), 0u);
}

TEST_F(VBitsTest, UnaddressableBytesReadDefinedAndKeepTheirState) {
  shadow_.SetRange(0x500, 4, ShadowState::Undefined);
  shadow_.SetRange(0x501, 1, ShadowState::HeapRedzone);
  EXPECT_EQ(shadow_.LoadVBits(0x500, 4), 0xffff00ffu);
  shadow_.StoreVBits(0x500, 4, 0x0f0f0f0f);
  EXPECT_EQ(shadow_.Get(0x501), ShadowState::HeapRedzone);
  EXPECT_EQ(shadow_.LoadVBits(0x500, 4), 0x0f0f000fu);
}

TEST_F(VBitsTest, RepaintsDropPartialBits) {
  shadow_.StoreVBits(0x600, 2, 0x0f0f);
  ASSERT_EQ(shadow_.partial().chunks(), 1u);
  // Freed, then handed out again: the byte is wholly undefined, not its old partial state.
  shadow_.SetRange(0x600, 2, ShadowState::HeapFreed);
  EXPECT_EQ(shadow_.partial().chunks(), 0u);
  shadow_.SetRange(0x600, 2, ShadowState::Undefined);
  EXPECT_EQ(shadow_.LoadVBits(0x600, 2), 0xffffu);
  // A defined store over a partial byte drops its entry once the chunk has none left.
  shadow_.StoreVBits(0x600, 2, 0x0f0f);
  shadow_.StoreVBits(0x600, 1, 0);
  EXPECT_EQ(shadow_.partial().chunks(), 1u);  // 0x601 is still partial
  shadow_.StoreVBits(0x601, 1, 0xff);
  EXPECT_EQ(shadow_.partial().chunks(), 0u);
  // Repainting part of a chunk keeps the entry of its other partial byte.
  shadow_.StoreVBits(0x700, 8, 0x0300000000000003);
  shadow_.SetRange(0x700, 4, ShadowState::Defined);
  EXPECT_EQ(shadow_.partial().chunks(), 1u);
  EXPECT_EQ(shadow_.LoadVBits(0x707, 1), 0x03u);
  // A host write (SetAddressable) drops them too.
  shadow_.SetAddressable(0x700, 8, ShadowState::Defined);
  EXPECT_EQ(shadow_.partial().chunks(), 0u);
  // Many entries, one big repaint (the table is walked, not the range).
  for (uint64_t a = 0x1000; a < 0x2000; a += 8) shadow_.StoreVBits(a, 1, 0x10);
  EXPECT_EQ(shadow_.partial().chunks(), 0x200u);
  shadow_.SetRange(0, 0x10000, ShadowState::Undefined);
  EXPECT_EQ(shadow_.partial().chunks(), 0u);
}

TEST_F(VBitsTest, CopiesCarryPartialBits) {
  shadow_.SetRange(0x800, 16, ShadowState::Undefined);
  shadow_.StoreVBits(0x800, 4, 0x00f00f00);  // bytes 1 and 2 partial, byte 3 defined
  shadow_.StoreVBits(0x900, 4, 0x11111111);  // the destination's old partial bits
  ASSERT_TRUE(shadow_.CopyRange(0x900, 0x800, 4));
  EXPECT_EQ(shadow_.LoadVBits(0x900, 4), 0x00f00f00u);
  EXPECT_EQ(shadow_.LoadVBits(0x800, 4), 0x00f00f00u);  // the source is untouched
  // Overlapping, as memmove: up by one byte.
  ASSERT_TRUE(shadow_.CopyRange(0x801, 0x800, 4));
  EXPECT_EQ(shadow_.LoadVBits(0x801, 4), 0x00f00f00u);
  EXPECT_EQ(shadow_.LoadVBits(0x800, 1), 0u);
  // Copying defined bytes over partial ones leaves no stale entry behind.
  ASSERT_TRUE(shadow_.CopyRange(0x900, 0xa00, 8));
  ASSERT_TRUE(shadow_.CopyRange(0x800, 0xa00, 16));
  EXPECT_EQ(shadow_.partial().chunks(), 0u);
}

// A copy that ran over a redzone (reported by the caller) still carries definedness, but
// never addressability: the destination's redzone stays one, a redzone source byte lands as
// Defined (Valgrind defines the result of an invalid read).
TEST_F(VBitsTest, BadCopiesCarryDefinednessButNotAddressability) {
  shadow_.SetRange(0xb00, 8, ShadowState::Undefined);
  shadow_.StoreVBits(0xb00, 2, 0x0f00);
  shadow_.SetRange(0xb06, 2, ShadowState::HeapRedzone);
  shadow_.SetRange(0xc00, 8, ShadowState::Undefined);
  shadow_.SetRange(0xc04, 4, ShadowState::HeapRedzone);
  ASSERT_TRUE(shadow_.CopyRange(0xc00, 0xb00, 8));
  EXPECT_EQ(shadow_.LoadVBits(0xc00, 4), 0xffff0f00u);
  EXPECT_EQ(shadow_.Get(0xc04), ShadowState::HeapRedzone);
  EXPECT_EQ(shadow_.Get(0xc07), ShadowState::HeapRedzone);
  ASSERT_TRUE(shadow_.CopyRange(0xd00, 0xb00, 8));
  EXPECT_EQ(shadow_.Get(0xd06), ShadowState::Defined);
  EXPECT_EQ(shadow_.LoadVBits(0xd00, 8), 0x0000ffffffff0f00u);
  EXPECT_EQ(shadow_.partial().chunks(), 3u);  // 0xb01's, 0xc01's, 0xd01's
}

}  // namespace
}  // namespace wasmgrind::memcheck
