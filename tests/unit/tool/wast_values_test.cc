// Spec-test value parsing and the NaN / reference patterns of assert_return.
#include "wast_values.h"

#include <gtest/gtest.h>

namespace wasmgrind {
namespace {

ExpectedValue Expect(ValType t, const char* text) {
  auto e =
      text ? ParseExpectedValue(t, std::string_view(text)) : ParseExpectedValue(t, std::nullopt);
  EXPECT_TRUE(e.ok()) << (e.ok() ? "" : e.error().message);
  return *e;
}

TEST(WastValues, ParsesNumbersAsBits) {
  EXPECT_EQ(ParseWastValue(ValType::I32, "4294967295")->i32(), 0xffffffffu);
  EXPECT_EQ(ParseWastValue(ValType::I64, "18446744073709551615")->i64(), UINT64_MAX);
  EXPECT_EQ(ParseWastValue(ValType::F32, "1065353216")->f32(), 1.0f);
  EXPECT_EQ(ParseWastValue(ValType::F64, "4607182418800017408")->f64(), 1.0);
  EXPECT_EQ(ParseWastValue(ValType::F32, "1065353216")->type, ValType::F32);
}

TEST(WastValues, RejectsBadNumbers) {
  EXPECT_FALSE(ParseWastValue(ValType::I32, "4294967296").ok());
  EXPECT_FALSE(ParseWastValue(ValType::I32, "-1").ok());
  EXPECT_FALSE(ParseWastValue(ValType::I64, "12x").ok());
  EXPECT_FALSE(ParseWastValue(ValType::I64, "").ok());
  EXPECT_FALSE(ParseWastValue(ValType::V128, "0").ok());
  EXPECT_FALSE(ParseWastType("anyref").ok());
}

TEST(WastValues, ExternRefIsShiftedByOneSoZeroStaysNull) {
  auto v = ParseWastValue(ValType::ExternRef, "0");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->bits, 1u);
  EXPECT_FALSE(v->is_null());
  EXPECT_TRUE(ParseWastValue(ValType::ExternRef, "null")->is_null());
  EXPECT_TRUE(ParseWastValue(ValType::FuncRef, "null")->is_null());
  EXPECT_EQ(FormatWastValue(*v), "externref:0");
  EXPECT_TRUE(Expect(ValType::ExternRef, "0").Matches(Value::ExternRef(1)));
  EXPECT_FALSE(Expect(ValType::ExternRef, "0").Matches(Value::Null(ValType::ExternRef)));
}

TEST(WastValues, ExactFloatsCompareBits) {
  ExpectedValue zero = Expect(ValType::F32, "0");
  EXPECT_TRUE(zero.Matches(Value::F32(0.0f)));
  EXPECT_FALSE(zero.Matches(Value::F32(-0.0f)));
  // A NaN literal names its payload.
  ExpectedValue nan = Expect(ValType::F32, "2143289344");  // 0x7fc00000
  EXPECT_TRUE(nan.Matches(Value::F32Bits(0x7fc00000)));
  EXPECT_FALSE(nan.Matches(Value::F32Bits(0x7fc00001)));
  EXPECT_FALSE(nan.Matches(Value::F32Bits(0xffc00000)));
}

TEST(WastValues, TypeMustMatch) {
  EXPECT_FALSE(Expect(ValType::I32, "0").Matches(Value::I64(0)));
  EXPECT_FALSE(
      Expect(ValType::F32, "nan:canonical").Matches(Value::F64Bits(0x7ff8000000000000ull)));
}

TEST(WastValues, CanonicalNan) {
  ExpectedValue f32 = Expect(ValType::F32, "nan:canonical");
  EXPECT_TRUE(f32.Matches(Value::F32Bits(0x7fc00000)));
  EXPECT_TRUE(f32.Matches(Value::F32Bits(0xffc00000)));
  EXPECT_FALSE(f32.Matches(Value::F32Bits(0x7fc00001)));
  EXPECT_FALSE(f32.Matches(Value::F32Bits(0x7fa00000)));
  EXPECT_FALSE(f32.Matches(Value::F32Bits(0x7f800000)));  // infinity
  ExpectedValue f64 = Expect(ValType::F64, "nan:canonical");
  EXPECT_TRUE(f64.Matches(Value::F64Bits(0x7ff8000000000000ull)));
  EXPECT_TRUE(f64.Matches(Value::F64Bits(0xfff8000000000000ull)));
  EXPECT_FALSE(f64.Matches(Value::F64Bits(0x7ff8000000000001ull)));
  EXPECT_FALSE(f64.Matches(Value::F64(1.0)));
}

TEST(WastValues, ArithmeticNan) {
  ExpectedValue f32 = Expect(ValType::F32, "nan:arithmetic");
  EXPECT_TRUE(f32.Matches(Value::F32Bits(0x7fc00000)));
  EXPECT_TRUE(f32.Matches(Value::F32Bits(0xffc00001)));
  EXPECT_TRUE(f32.Matches(Value::F32Bits(0x7fffffff)));
  EXPECT_FALSE(f32.Matches(Value::F32Bits(0x7fa00000)));  // signalling
  EXPECT_FALSE(f32.Matches(Value::F32Bits(0x7f800000)));
  ExpectedValue f64 = Expect(ValType::F64, "nan:arithmetic");
  EXPECT_TRUE(f64.Matches(Value::F64Bits(0x7ff8000000000001ull)));
  EXPECT_TRUE(f64.Matches(Value::F64Bits(0xfffc000000000000ull)));
  EXPECT_FALSE(f64.Matches(Value::F64Bits(0x7ff4000000000000ull)));
  EXPECT_FALSE(f64.Matches(Value::F64Bits(0x7ff0000000000000ull)));
}

TEST(WastValues, RefPatterns) {
  ExpectedValue any_func = Expect(ValType::FuncRef, nullptr);
  EXPECT_EQ(any_func.kind, ExpectedValue::Kind::NonNullRef);
  EXPECT_TRUE(any_func.Matches(Value{ValType::FuncRef, 0x1234, 0}));
  EXPECT_FALSE(any_func.Matches(Value::Null(ValType::FuncRef)));
  EXPECT_FALSE(any_func.Matches(Value::ExternRef(5)));
  ExpectedValue null = Expect(ValType::FuncRef, "null");
  EXPECT_TRUE(null.Matches(Value::Null(ValType::FuncRef)));
  EXPECT_FALSE(null.Matches(Value{ValType::FuncRef, 0x1234, 0}));
  EXPECT_FALSE(ParseExpectedValue(ValType::I32, std::nullopt).ok());
  // wast2json spells `(ref.func)` as a funcref numbered 0.
  EXPECT_EQ(Expect(ValType::FuncRef, "0").kind, ExpectedValue::Kind::NonNullRef);
}

TEST(WastValues, Formatting) {
  EXPECT_EQ(FormatWastValue(Value::I32(0xffffffffu)), "i32:-1 (0xffffffff)");
  EXPECT_EQ(FormatWastValue(Value::F32(1.5f)), "f32:1.5 (0x3fc00000)");
  EXPECT_EQ(FormatWastValue(Value::Null(ValType::FuncRef)), "funcref:null");
  EXPECT_EQ(Expect(ValType::F64, "nan:arithmetic").ToString(), "f64:nan:arithmetic");
}

}  // namespace
}  // namespace wasmgrind
