// GuestMemory: every access is bounds-checked with overflow-safe arithmetic; a bad range is
// Fault and leaves host memory untouched.
#include "guest_memory.h"

#include <gtest/gtest.h>

#include <vector>

namespace wasmgrind::wasi {
namespace {

class GuestMemoryTest : public ::testing::Test {
 protected:
  // A guard byte after the guest memory shows that no access spills past its end.
  GuestMemoryTest() : backing_(kSize + 1, 0), mem_(backing_.data(), kSize) {
    backing_[kSize] = 0xAA;
  }
  void TearDown() override { EXPECT_EQ(backing_[kSize], 0xAA) << "write past the end"; }

  static constexpr uint64_t kSize = 65536;
  std::vector<uint8_t> backing_;
  GuestMemory mem_;
};

TEST_F(GuestMemoryTest, RangesAtTheEdge) {
  EXPECT_TRUE(mem_.Bytes(0, kSize).ok());
  EXPECT_TRUE(mem_.Bytes(kSize - 1, 1).ok());
  EXPECT_TRUE(mem_.Bytes(kSize, 0).ok());
  EXPECT_EQ(mem_.Bytes(kSize, 1).error(), Errno::Fault);
  EXPECT_EQ(mem_.Bytes(kSize - 1, 2).error(), Errno::Fault);
  EXPECT_EQ(mem_.Bytes(kSize + 1, 0).error(), Errno::Fault);
  EXPECT_EQ(mem_.Bytes(0, kSize + 1).error(), Errno::Fault);
}

TEST_F(GuestMemoryTest, OverflowingRangesAreFaults) {
  EXPECT_EQ(mem_.Bytes(UINT64_MAX, 2).error(), Errno::Fault);
  EXPECT_EQ(mem_.Bytes(2, UINT64_MAX).error(), Errno::Fault);
  EXPECT_EQ(mem_.Bytes(UINT64_MAX - 1, UINT64_MAX - 1).error(), Errno::Fault);
  EXPECT_EQ(mem_.Bytes(0xffffffffu, 0xffffffffu).error(), Errno::Fault);
  EXPECT_EQ(mem_.String(0xfffffff0u, 0x20).error(), Errno::Fault);
}

TEST_F(GuestMemoryTest, ReadWriteScalars) {
  EXPECT_EQ(mem_.Write<uint32_t>(kSize - 4, 0x11223344u), Errno::Success);
  EXPECT_EQ(backing_[kSize - 4], 0x44);  // little-endian
  EXPECT_EQ(*mem_.Read<uint32_t>(kSize - 4), 0x11223344u);
  EXPECT_EQ(mem_.Write<uint32_t>(kSize - 3, 1), Errno::Fault);
  EXPECT_EQ(mem_.Write<uint64_t>(kSize - 7, 1), Errno::Fault);
  EXPECT_EQ(mem_.Read<uint64_t>(kSize - 7).error(), Errno::Fault);
  EXPECT_EQ(mem_.Write<uint64_t>(UINT64_MAX - 3, 1), Errno::Fault);
  EXPECT_EQ(mem_.Write<uint16_t>(1, 0xBEEF), Errno::Success);  // unaligned is fine
  EXPECT_EQ(*mem_.Read<uint16_t>(1), 0xBEEF);
}

TEST_F(GuestMemoryTest, WriteBytesIsAllOrNothing) {
  std::vector<uint8_t> data(8, 0x5A);
  EXPECT_EQ(mem_.WriteBytes(kSize - 4, data), Errno::Fault);
  EXPECT_EQ(backing_[kSize - 4], 0);
  EXPECT_EQ(mem_.WriteBytes(kSize - 8, data), Errno::Success);
  EXPECT_EQ(backing_[kSize - 1], 0x5A);
  EXPECT_EQ(mem_.WriteString(kSize, ""), Errno::Success);
}

TEST_F(GuestMemoryTest, IoVecs) {
  ASSERT_EQ(mem_.Write(100, WasiIovec{1000, 10}), Errno::Success);
  ASSERT_EQ(mem_.Write(108, WasiIovec{static_cast<uint32_t>(kSize - 5), 5}), Errno::Success);
  auto vecs = mem_.IoVecs(100, 2);
  ASSERT_TRUE(vecs.ok());
  ASSERT_EQ(vecs->size(), 2u);
  EXPECT_EQ((*vecs)[0].iov_base, backing_.data() + 1000);
  EXPECT_EQ((*vecs)[0].iov_len, 10u);
  EXPECT_EQ((*vecs)[1].iov_len, 5u);
  EXPECT_TRUE(mem_.IoVecs(100, 0).ok());

  // A buffer one byte too long, a wrapping buffer, an array past the end.
  ASSERT_EQ(mem_.Write(116, WasiIovec{static_cast<uint32_t>(kSize - 5), 6}), Errno::Success);
  EXPECT_EQ(mem_.IoVecs(100, 3).error(), Errno::Fault);
  ASSERT_EQ(mem_.Write(116, WasiIovec{0xfffffff0u, 0x20}), Errno::Success);
  EXPECT_EQ(mem_.IoVecs(116, 1).error(), Errno::Fault);
  EXPECT_EQ(mem_.IoVecs(kSize - 4, 1).error(), Errno::Fault);
  EXPECT_EQ(mem_.IoVecs(0, 0xffffffffu).error(), Errno::Fault);
}

TEST_F(GuestMemoryTest, IoVecsAreCappedButTheWholeArrayIsChecked) {
  uint32_t count = GuestMemory::kMaxIovecs + 5;
  for (uint32_t i = 0; i < count; ++i)
    ASSERT_EQ(mem_.Write(uint64_t{i} * 8, WasiIovec{0, 1}), Errno::Success);
  auto vecs = mem_.IoVecs(0, count);
  ASSERT_TRUE(vecs.ok());
  EXPECT_EQ(vecs->size(), GuestMemory::kMaxIovecs);
  EXPECT_EQ(mem_.IoVecs(kSize - uint64_t{8} * 1000, 1001).error(), Errno::Fault);
}

}  // namespace
}  // namespace wasmgrind::wasi
