// Command-line values of `wasmgrind run --invoke`.
#include "invoke_args.h"

#include <cmath>

#include <gtest/gtest.h>

namespace wasmgrind {
namespace {

TEST(InvokeArgs, Integers) {
  EXPECT_EQ(ParseCliValue(ValType::I32, "42")->i32(), 42u);
  EXPECT_EQ(ParseCliValue(ValType::I32, "-1")->i32(), 0xffffffffu);
  EXPECT_EQ(ParseCliValue(ValType::I32, "4294967295")->i32(), 0xffffffffu);
  EXPECT_EQ(ParseCliValue(ValType::I32, "-2147483648")->i32(), 0x80000000u);
  EXPECT_EQ(ParseCliValue(ValType::I32, "0xff")->i32(), 255u);
  EXPECT_EQ(ParseCliValue(ValType::I64, "-1")->i64(), UINT64_MAX);
  EXPECT_EQ(ParseCliValue(ValType::I64, "0xFFFFFFFFFFFFFFFF")->i64(), UINT64_MAX);
  EXPECT_EQ(ParseCliValue(ValType::I64, "-9223372036854775808")->i64(), 0x8000000000000000ull);
}

TEST(InvokeArgs, BadIntegers) {
  for (const char* bad : {"", "4294967296", "-2147483649", "1.5", "12abc", "0x", "--1", "abc"})
    EXPECT_FALSE(ParseCliValue(ValType::I32, bad).ok()) << bad;
  EXPECT_FALSE(ParseCliValue(ValType::I64, "18446744073709551616").ok());
  auto e = ParseCliValue(ValType::I32, "x1");
  EXPECT_EQ(e.error().kind, ErrorKind::Usage);
  EXPECT_NE(e.error().message.find("x1"), std::string::npos);
}

TEST(InvokeArgs, Floats) {
  EXPECT_EQ(ParseCliValue(ValType::F32, "1.5")->f32(), 1.5f);
  EXPECT_EQ(ParseCliValue(ValType::F64, "-2.25e3")->f64(), -2250.0);
  EXPECT_TRUE(std::isnan(ParseCliValue(ValType::F64, "nan")->f64()));
  EXPECT_TRUE(std::isinf(ParseCliValue(ValType::F32, "-inf")->f32()));
  EXPECT_EQ(ParseCliValue(ValType::F64, "0x1p-2")->f64(), 0.25);
  EXPECT_FALSE(ParseCliValue(ValType::F64, "1.5x").ok());
  EXPECT_FALSE(ParseCliValue(ValType::F64, "").ok());
  EXPECT_FALSE(ParseCliValue(ValType::F32, " 1").ok());
  EXPECT_FALSE(ParseCliValue(ValType::FuncRef, "0").ok());
}

// NaNs print as the text format writes them: the canonical NaN as "nan", any other with its
// payload; the same spellings parse back to the same bits.
TEST(InvokeArgs, NanPayloads) {
  EXPECT_EQ(FormatCliValue(Value::F32Bits(0x7fc00000u)), "nan");
  EXPECT_EQ(FormatCliValue(Value::F32Bits(0xffc00000u)), "-nan");
  EXPECT_EQ(FormatCliValue(Value::F32Bits(0x7fa00000u)), "nan:0x200000");  // signaling
  EXPECT_EQ(FormatCliValue(Value::F32Bits(0xffc00001u)), "-nan:0x400001");  // arithmetic
  EXPECT_EQ(FormatCliValue(Value::F64Bits(0x7ff0000000000001ull)), "nan:0x1");
  EXPECT_EQ(FormatCliValue(Value::F64Bits(0xfff8000000000000ull)), "-nan");
  EXPECT_EQ(FormatCliValue(Value::F64Bits(0x7fffffffffffffffull)), "nan:0xfffffffffffff");
  EXPECT_EQ(ParseCliValue(ValType::F32, "nan:0x200000")->i32(), 0x7fa00000u);
  EXPECT_EQ(ParseCliValue(ValType::F32, "-nan:0x1")->i32(), 0xff800001u);
  EXPECT_EQ(ParseCliValue(ValType::F64, "+nan:0x8000000000000")->i64(), 0x7ff8000000000000ull);
  EXPECT_EQ(ParseCliValue(ValType::F64, "nan:0xfffffffffffff")->i64(), 0x7fffffffffffffffull);
  EXPECT_EQ(ParseCliValue(ValType::F32, "nan")->i32(), 0x7fc00000u);
  for (const char* bad : {"nan:0x0", "nan:0x800000", "nan:0x", "nan:1", "nan:0xg", "inf:0x1", "nan:"})
    EXPECT_FALSE(ParseCliValue(ValType::F32, bad).ok()) << bad;
  EXPECT_FALSE(ParseCliValue(ValType::F64, "nan:0x10000000000000").ok());
  for (uint32_t bits : {0x7f800001u, 0xffbfffffu, 0x7fc00000u, 0x7fd00000u})
    EXPECT_EQ(ParseCliValue(ValType::F32, FormatCliValue(Value::F32Bits(bits)))->i32(), bits);
}

TEST(InvokeArgs, ArgumentCountMustMatch) {
  std::vector<ValType> types = {ValType::I32, ValType::F64};
  std::vector<std::string> two = {"1", "2.5"};
  auto ok = ParseCliArgs(types, two);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)[1].f64(), 2.5);
  std::vector<std::string> one = {"1"};
  auto bad = ParseCliArgs(types, one);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("takes 2 argument"), std::string::npos);
}

TEST(InvokeArgs, Formatting) {
  EXPECT_EQ(FormatCliValue(Value::I32(0xffffffffu)), "-1");
  EXPECT_EQ(FormatCliValue(Value::I64(832040)), "832040");
  EXPECT_EQ(FormatCliValue(Value::F32(1.1f)), "1.1");
  EXPECT_EQ(FormatCliValue(Value::F64(0.5)), "0.5");
  EXPECT_EQ(FormatCliValue(Value::F64Bits(0x7ff8000000000000ull)), "nan");
  EXPECT_EQ(FormatCliValue(Value::F32(-INFINITY)), "-inf");
  EXPECT_EQ(FormatCliValue(Value::Null(ValType::ExternRef)), "null");
}

}  // namespace
}  // namespace wasmgrind
