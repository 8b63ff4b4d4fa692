// BinaryReader: LEB128 limits and edge cases, floats, names and lengths.
#include "vm/decode/binary_reader.h"

#include <gtest/gtest.h>

#include "common/wasm_module_builder.h"

namespace wasmgrind {
namespace {

using test::Bytes;

template <typename T>
std::string ErrorText(const Result<T>& r) {
  return r.ok() ? std::string("ok") : r.error().message;
}

TEST(BinaryReaderTest, U32LebValues) {
  for (uint64_t v : {0ull, 1ull, 127ull, 128ull, 300ull, 0x7fffffffull, 0xffffffffull}) {
    Bytes b = test::Uleb(v);
    BinaryReader r(b);
    auto got = r.ReadU32Leb("value");
    ASSERT_TRUE(got.ok()) << v;
    EXPECT_EQ(*got, v);
    EXPECT_TRUE(r.AtEnd());
  }
}

TEST(BinaryReaderTest, U32LebNonMinimalButWithinFiveBytesIsFine) {
  Bytes b{0x80, 0x80, 0x80, 0x80, 0x00};
  BinaryReader r(b);
  auto got = r.ReadU32Leb("value");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, 0u);
}

TEST(BinaryReaderTest, U32LebTooLong) {
  Bytes b{0x82, 0x80, 0x80, 0x80, 0x80, 0x00};
  BinaryReader r(b);
  auto got = r.ReadU32Leb("memory minimum");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().kind, ErrorKind::Malformed);
  EXPECT_EQ(got.error().message.rfind("integer representation too long", 0), 0u)
      << got.error().message;
  EXPECT_NE(got.error().message.find("memory minimum"), std::string::npos);
}

TEST(BinaryReaderTest, U32LebUnusedBitsMustBeZero) {
  for (uint8_t last : {0x70, 0x40, 0x10}) {
    Bytes b{0x82, 0x80, 0x80, 0x80, last};
    BinaryReader r(b);
    EXPECT_EQ(ErrorText(r.ReadU32Leb("x")).rfind("integer too large", 0), 0u) << int(last);
  }
  Bytes max{0xff, 0xff, 0xff, 0xff, 0x0f};
  BinaryReader r(max);
  EXPECT_EQ(*r.ReadU32Leb("x"), 0xffffffffu);
}

TEST(BinaryReaderTest, S32LebSignBits) {
  struct Case {
    Bytes bytes;
    bool ok;
    int32_t value;
  } cases[] = {
      {{0x7f}, true, -1},
      {{0x3f}, true, 63},
      {{0x40}, true, -64},
      {{0xff, 0xff, 0xff, 0xff, 0x7f}, true, -1},
      {{0x80, 0x80, 0x80, 0x80, 0x78}, true, INT32_MIN},
      {{0xff, 0xff, 0xff, 0xff, 0x07}, true, INT32_MAX},
      {{0x80, 0x80, 0x80, 0x80, 0x70}, false, 0},  // 0 with unused bits set
      {{0xff, 0xff, 0xff, 0xff, 0x0f}, false, 0},  // -1 with unused bits unset
      {{0x80, 0x80, 0x80, 0x80, 0x1f}, false, 0},
      {{0xff, 0xff, 0xff, 0xff, 0x4f}, false, 0},
  };
  for (const Case& c : cases) {
    BinaryReader r(c.bytes);
    auto got = r.ReadS32Leb("x");
    ASSERT_EQ(got.ok(), c.ok) << ErrorText(got);
    if (c.ok) {
      EXPECT_EQ(*got, c.value);
    } else {
      EXPECT_EQ(got.error().message.rfind("integer too large", 0), 0u);
    }
  }
  Bytes too_long{0xff, 0xff, 0xff, 0xff, 0xff, 0x7f};
  BinaryReader r(too_long);
  EXPECT_EQ(ErrorText(r.ReadS32Leb("x")).rfind("integer representation too long", 0), 0u);
}

TEST(BinaryReaderTest, S64LebLimits) {
  Bytes min{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f};
  BinaryReader r1(min);
  EXPECT_EQ(*r1.ReadS64Leb("x"), INT64_MIN);
  Bytes max{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00};
  BinaryReader r2(max);
  EXPECT_EQ(*r2.ReadS64Leb("x"), INT64_MAX);
  Bytes bad{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7e};
  BinaryReader r3(bad);
  EXPECT_EQ(ErrorText(r3.ReadS64Leb("x")).rfind("integer too large", 0), 0u);
  Bytes too_long{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  BinaryReader r4(too_long);
  EXPECT_EQ(ErrorText(r4.ReadS64Leb("x")).rfind("integer representation too long", 0), 0u);
  for (int64_t v :
       {int64_t{0}, int64_t{-1}, int64_t{1} << 40, -(int64_t{1} << 40), INT64_MIN, INT64_MAX}) {
    Bytes b = test::Sleb(v);
    BinaryReader r(b);
    EXPECT_EQ(*r.ReadS64Leb("x"), v);
  }
}

TEST(BinaryReaderTest, U64Leb) {
  Bytes max{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
  BinaryReader r1(max);
  EXPECT_EQ(*r1.ReadU64Leb("x"), UINT64_MAX);
  Bytes bad{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
  BinaryReader r2(bad);
  EXPECT_EQ(ErrorText(r2.ReadU64Leb("x")).rfind("integer too large", 0), 0u);
}

TEST(BinaryReaderTest, S33ForBlockTypes) {
  Bytes b{0xff, 0xff, 0xff, 0xff, 0x0f};  // 2^32 - 1, positive in 33 bits
  BinaryReader r(b);
  EXPECT_EQ(*r.ReadS33Leb("x"), int64_t{0xffffffff});
  Bytes neg{0x40};
  BinaryReader r2(neg);
  EXPECT_EQ(*r2.ReadS33Leb("x"), -64);
}

TEST(BinaryReaderTest, TruncatedLebNamesWhatAndWhere) {
  Bytes b{0x00, 0x80, 0x80};
  BinaryReader r(b, 1, b.size());
  auto got = r.ReadU32Leb("function count");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().message,
            "unexpected end of section or function: reading u32 leb128 (function count)");
  EXPECT_EQ(got.error().offset, 3u);
}

TEST(BinaryReaderTest, FloatsAreRawLittleEndianBits) {
  Bytes b{0x00, 0x00, 0xc0, 0x7f, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x7f};
  BinaryReader r(b);
  EXPECT_EQ(*r.ReadF32("x"), 0x7fc00000u);
  EXPECT_EQ(*r.ReadF64("x"), 0x7ff0000000000001ull);
  EXPECT_FALSE(r.ReadF32("x").ok());
}

TEST(BinaryReaderTest, LengthOutOfBounds) {
  Bytes b{0x05, 'a', 'b'};
  BinaryReader r(b);
  auto got = r.ReadLength("name length");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().message.rfind("length out of bounds", 0), 0u);
  // A count no larger than what remains (counted from the length byte) is accepted.
  Bytes ok{0x02, 'a', 'b'};
  BinaryReader r2(ok);
  EXPECT_EQ(*r2.ReadLength("x"), 2u);
}

TEST(BinaryReaderTest, Utf8Names) {
  auto name_ok = [](Bytes content) {
    Bytes b = test::Uleb(content.size());
    test::Append(b, content);
    BinaryReader r(b);
    return r.ReadName("name").ok();
  };
  EXPECT_TRUE(name_ok({'a', 'b'}));
  EXPECT_TRUE(name_ok({0xc3, 0xa9}));              // é
  EXPECT_TRUE(name_ok({0xf0, 0x9f, 0x98, 0x80}));  // U+1F600
  EXPECT_TRUE(name_ok({}));
  EXPECT_FALSE(name_ok({0x80}));                    // stray continuation
  EXPECT_FALSE(name_ok({0xc0, 0x80}));              // overlong NUL
  EXPECT_FALSE(name_ok({0xe0, 0x80, 0x80}));        // overlong
  EXPECT_FALSE(name_ok({0xed, 0xa0, 0x80}));        // surrogate U+D800
  EXPECT_FALSE(name_ok({0xf4, 0x90, 0x80, 0x80}));  // > U+10FFFF
  EXPECT_FALSE(name_ok({0xc3}));                    // truncated
  EXPECT_FALSE(name_ok({0xf8, 0x88, 0x80, 0x80, 0x80}));
  Bytes bad{0x01, 0xff};
  BinaryReader r(bad);
  EXPECT_EQ(ErrorText(r.ReadName("export name")).rfind("malformed UTF-8 encoding", 0), 0u);
}

TEST(BinaryReaderTest, ValueTypes) {
  Bytes b{0x7f, 0x7e, 0x7d, 0x7c, 0x70, 0x6f, 0x40, 0x7b};
  BinaryReader r(b);
  EXPECT_EQ(*r.ReadValType("t"), ValType::I32);
  EXPECT_EQ(*r.ReadValType("t"), ValType::I64);
  EXPECT_EQ(*r.ReadValType("t"), ValType::F32);
  EXPECT_EQ(*r.ReadValType("t"), ValType::F64);
  EXPECT_EQ(*r.ReadValType("t"), ValType::FuncRef);
  EXPECT_EQ(*r.ReadValType("t"), ValType::ExternRef);
  auto bad = r.ReadValType("t");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::Malformed);
  auto simd = r.ReadValType("t");
  ASSERT_FALSE(simd.ok());
  EXPECT_EQ(simd.error().kind, ErrorKind::Unsupported);
}

}  // namespace
}  // namespace wasmgrind
