// Float semantics that x86 does not give for free: min/max with NaN and signed zeros,
// nearest (ties to even), copysign/abs/neg as bit operations, NaN-aware compares, and the
// conversions (trapping, saturating, unsigned, correctly rounded u64 -> float).
#include <cmath>
#include <limits>

#include "jit_test_util.h"

namespace wasmgrind::test {
namespace {

constexpr uint32_t kF32NaN = 0x7fc00000, kF32NegNaN = 0xffc00000, kF32SNaN = 0x7fa00001;
constexpr uint64_t kF64NaN = 0x7ff8000000000000ull;

bool IsNaN32(uint64_t bits) {
  return std::isnan(Value::F32Bits(static_cast<uint32_t>(bits)).f32());
}
bool IsNaN64(uint64_t bits) { return std::isnan(Value::F64Bits(bits).f64()); }

class FloatTest : public JitTest {
 protected:
  void SetUp() override {
    JitTest::SetUp();
    if (IsSkipped()) return;
    inst_ = Load(R"(
      (module
        (func (export "min32") (param f32 f32) (result f32) local.get 0 local.get 1 f32.min)
        (func (export "max32") (param f32 f32) (result f32) local.get 0 local.get 1 f32.max)
        (func (export "min64") (param f64 f64) (result f64) local.get 0 local.get 1 f64.min)
        (func (export "max64") (param f64 f64) (result f64) local.get 0 local.get 1 f64.max)
        (func (export "nearest32") (param f32) (result f32) local.get 0 f32.nearest)
        (func (export "nearest64") (param f64) (result f64) local.get 0 f64.nearest)
        (func (export "floor64") (param f64) (result f64) local.get 0 f64.floor)
        (func (export "ceil32") (param f32) (result f32) local.get 0 f32.ceil)
        (func (export "trunc64") (param f64) (result f64) local.get 0 f64.trunc)
        (func (export "copysign32") (param f32 f32) (result f32) local.get 0 local.get 1 f32.copysign)
        (func (export "copysign64") (param f64 f64) (result f64) local.get 0 local.get 1 f64.copysign)
        (func (export "neg32") (param f32) (result f32) local.get 0 f32.neg)
        (func (export "abs64") (param f64) (result f64) local.get 0 f64.abs)
        (func (export "eq64") (param f64 f64) (result i32) local.get 0 local.get 1 f64.eq)
        (func (export "ne64") (param f64 f64) (result i32) local.get 0 local.get 1 f64.ne)
        (func (export "lt32") (param f32 f32) (result i32) local.get 0 local.get 1 f32.lt)
        (func (export "ge64") (param f64 f64) (result i32) local.get 0 local.get 1 f64.ge)
        (func (export "not_lt32") (param f32 f32) (result i32) local.get 0 local.get 1 f32.lt i32.eqz)
        (func (export "add_const") (param f64) (result f64) local.get 0 f64.const 0.5 f64.add)
        (func (export "sqrt32") (param f32) (result f32) local.get 0 f32.sqrt)
        (func (export "demote") (param f64) (result f32) local.get 0 f32.demote_f64)
        (func (export "promote") (param f32) (result f64) local.get 0 f64.promote_f32)
        (func (export "i32_trunc_f32_s") (param f32) (result i32) local.get 0 i32.trunc_f32_s)
        (func (export "i32_trunc_f32_u") (param f32) (result i32) local.get 0 i32.trunc_f32_u)
        (func (export "i32_trunc_f64_s") (param f64) (result i32) local.get 0 i32.trunc_f64_s)
        (func (export "i32_trunc_f64_u") (param f64) (result i32) local.get 0 i32.trunc_f64_u)
        (func (export "i64_trunc_f64_s") (param f64) (result i64) local.get 0 i64.trunc_f64_s)
        (func (export "i64_trunc_f64_u") (param f64) (result i64) local.get 0 i64.trunc_f64_u)
        (func (export "i64_trunc_f32_u") (param f32) (result i64) local.get 0 i64.trunc_f32_u)
        (func (export "i32_sat_f32_s") (param f32) (result i32) local.get 0 i32.trunc_sat_f32_s)
        (func (export "i32_sat_f64_u") (param f64) (result i32) local.get 0 i32.trunc_sat_f64_u)
        (func (export "i64_sat_f64_s") (param f64) (result i64) local.get 0 i64.trunc_sat_f64_s)
        (func (export "i64_sat_f64_u") (param f64) (result i64) local.get 0 i64.trunc_sat_f64_u)
        (func (export "f32_from_u64") (param i64) (result f32) local.get 0 f32.convert_i64_u)
        (func (export "f64_from_u64") (param i64) (result f64) local.get 0 f64.convert_i64_u)
        (func (export "f32_from_u32") (param i32) (result f32) local.get 0 f32.convert_i32_u)
        (func (export "f64_from_s64") (param i64) (result f64) local.get 0 f64.convert_i64_s)
        (func (export "bits32") (param f32) (result i32) local.get 0 i32.reinterpret_f32)
        (func (export "from_bits64") (param i64) (result f64) local.get 0 f64.reinterpret_i64))
    )");
    ASSERT_NE(inst_, nullptr);
  }
  uint64_t F32(std::string_view f, std::vector<float> args) {
    std::vector<Value> v;
    for (float a : args) v.push_back(Value::F32(a));
    return Bits(inst_, f, v);
  }
  uint64_t F64(std::string_view f, std::vector<double> args) {
    std::vector<Value> v;
    for (double a : args) v.push_back(Value::F64(a));
    return Bits(inst_, f, v);
  }
  Instance* inst_ = nullptr;
};

TEST_F(FloatTest, MinMaxNaNAndSignedZero) {
  EXPECT_EQ(F32("min32", {0.0f, -0.0f}), F32Bits(-0.0f));
  EXPECT_EQ(F32("min32", {-0.0f, 0.0f}), F32Bits(-0.0f));
  EXPECT_EQ(F32("max32", {-0.0f, 0.0f}), F32Bits(0.0f));
  EXPECT_EQ(F32("max32", {0.0f, -0.0f}), F32Bits(0.0f));
  EXPECT_EQ(F32("min32", {1.0f, 2.0f}), F32Bits(1.0f));
  EXPECT_EQ(F32("max32", {1.0f, 2.0f}), F32Bits(2.0f));
  EXPECT_TRUE(IsNaN32(Bits(inst_, "min32", {Value::F32Bits(kF32NaN), Value::F32(1)})));
  EXPECT_TRUE(IsNaN32(Bits(inst_, "max32", {Value::F32(1), Value::F32Bits(kF32NegNaN)})));
  // A signalling NaN comes back quiet (an "arithmetic" NaN).
  EXPECT_EQ(Bits(inst_, "min32", {Value::F32Bits(kF32SNaN), Value::F32(1)}) & 0x00400000u,
            0x00400000u);
  EXPECT_EQ(F64("min64", {0.0, -0.0}), F64Bits(-0.0));
  EXPECT_EQ(F64("max64", {-0.0, 0.0}), F64Bits(0.0));
  EXPECT_EQ(F64("min64", {-INFINITY, 5.0}), F64Bits(-INFINITY));
  EXPECT_TRUE(IsNaN64(Bits(inst_, "max64", {Value::F64(1), Value::F64Bits(kF64NaN)})));
}

TEST_F(FloatTest, RoundingAndBitOps) {
  EXPECT_EQ(F32("nearest32", {2.5f}), F32Bits(2.0f));
  EXPECT_EQ(F32("nearest32", {3.5f}), F32Bits(4.0f));
  EXPECT_EQ(F32("nearest32", {-0.5f}), F32Bits(-0.0f));
  EXPECT_EQ(F64("nearest64", {-1.5}), F64Bits(-2.0));
  EXPECT_EQ(F64("nearest64", {4503599627370497.0}), F64Bits(4503599627370497.0));
  EXPECT_EQ(F64("floor64", {-0.5}), F64Bits(-1.0));
  EXPECT_EQ(F32("ceil32", {-0.5f}), F32Bits(-0.0f));
  EXPECT_EQ(F64("trunc64", {-1.9}), F64Bits(-1.0));
  EXPECT_EQ(F32("copysign32", {3.0f, -0.0f}), F32Bits(-3.0f));
  EXPECT_EQ(F64("copysign64", {-3.0, 1.0}), F64Bits(3.0));
  // Bit operations keep NaN payloads exactly.
  EXPECT_EQ(Bits(inst_, "neg32", {Value::F32Bits(kF32SNaN)}), kF32SNaN | 0x80000000u);
  EXPECT_EQ(Bits(inst_, "abs64", {Value::F64Bits(0xfff0000000000001ull)}), 0x7ff0000000000001ull);
  EXPECT_EQ(Bits(inst_, "copysign32", {Value::F32Bits(kF32SNaN), Value::F32(-1)}),
            kF32SNaN | 0x80000000u);
  EXPECT_EQ(F64("add_const", {1.0}), F64Bits(1.5));
  EXPECT_EQ(F32("sqrt32", {4.0f}), F32Bits(2.0f));
}

TEST_F(FloatTest, ComparesWithNaN) {
  double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(F64("eq64", {1.0, 1.0}), 1u);
  EXPECT_EQ(F64("eq64", {nan, nan}), 0u);
  EXPECT_EQ(F64("ne64", {nan, nan}), 1u);
  EXPECT_EQ(F64("ne64", {0.0, -0.0}), 0u);
  EXPECT_EQ(F32("lt32", {1.0f, 2.0f}), 1u);
  EXPECT_EQ(F32("lt32", {2.0f, 1.0f}), 0u);
  EXPECT_EQ(F32("lt32", {static_cast<float>(nan), 1.0f}), 0u);
  EXPECT_EQ(F32("not_lt32", {static_cast<float>(nan), 1.0f}), 1u);
  EXPECT_EQ(F64("ge64", {2.0, 2.0}), 1u);
  EXPECT_EQ(F64("ge64", {nan, 2.0}), 0u);
}

TEST_F(FloatTest, TrappingTruncations) {
  auto trap32 = [&](std::string_view f, float x) { return TrapOf(inst_, f, {Value::F32(x)}); };
  auto trap64 = [&](std::string_view f, double x) { return TrapOf(inst_, f, {Value::F64(x)}); };
  EXPECT_EQ(F32("i32_trunc_f32_s", {-2147483648.0f}), 0x80000000u);
  EXPECT_EQ(F32("i32_trunc_f32_s", {-1.9f}), 0xffffffffu);
  EXPECT_EQ(trap32("i32_trunc_f32_s", 2147483648.0f), TrapKind::IntegerOverflow);
  EXPECT_EQ(trap32("i32_trunc_f32_s", -2147483904.0f), TrapKind::IntegerOverflow);
  EXPECT_EQ(trap32("i32_trunc_f32_s", NAN), TrapKind::InvalidConversion);
  EXPECT_EQ(F32("i32_trunc_f32_u", {4294967040.0f}), 4294967040u);
  EXPECT_EQ(F32("i32_trunc_f32_u", {-0.9f}), 0u);
  EXPECT_EQ(trap32("i32_trunc_f32_u", -1.0f), TrapKind::IntegerOverflow);
  EXPECT_EQ(trap32("i32_trunc_f32_u", 4294967296.0f), TrapKind::IntegerOverflow);
  EXPECT_EQ(F64("i32_trunc_f64_s", {-2147483648.9}), 0x80000000u);
  EXPECT_EQ(trap64("i32_trunc_f64_s", -2147483649.0), TrapKind::IntegerOverflow);
  EXPECT_EQ(trap64("i32_trunc_f64_s", 2147483648.0), TrapKind::IntegerOverflow);
  EXPECT_EQ(F64("i32_trunc_f64_u", {4294967295.9}), 0xffffffffu);
  EXPECT_EQ(trap64("i32_trunc_f64_u", 4294967296.0), TrapKind::IntegerOverflow);
  EXPECT_EQ(F64("i64_trunc_f64_s", {-9223372036854775808.0}), 0x8000000000000000ull);
  EXPECT_EQ(trap64("i64_trunc_f64_s", 9223372036854775808.0), TrapKind::IntegerOverflow);
  EXPECT_EQ(trap64("i64_trunc_f64_s", NAN), TrapKind::InvalidConversion);
  EXPECT_EQ(F64("i64_trunc_f64_u", {18446744073709549568.0}), 18446744073709549568ull);
  EXPECT_EQ(F64("i64_trunc_f64_u", {9223372036854775808.0}), 9223372036854775808ull);
  EXPECT_EQ(F64("i64_trunc_f64_u", {-0.99}), 0u);
  EXPECT_EQ(trap64("i64_trunc_f64_u", 18446744073709551616.0), TrapKind::IntegerOverflow);
  EXPECT_EQ(trap64("i64_trunc_f64_u", -1.0), TrapKind::IntegerOverflow);
  EXPECT_EQ(trap64("i64_trunc_f64_u", NAN), TrapKind::InvalidConversion);
  EXPECT_EQ(F32("i64_trunc_f32_u", {1.5f}), 1u);
}

TEST_F(FloatTest, SaturatingTruncations) {
  EXPECT_EQ(F32("i32_sat_f32_s", {3e9f}), 0x7fffffffu);
  EXPECT_EQ(F32("i32_sat_f32_s", {-3e9f}), 0x80000000u);
  EXPECT_EQ(F32("i32_sat_f32_s", {NAN}), 0u);
  EXPECT_EQ(F32("i32_sat_f32_s", {-7.5f}), 0xfffffff9u);
  EXPECT_EQ(F64("i32_sat_f64_u", {5e9}), 0xffffffffu);
  EXPECT_EQ(F64("i32_sat_f64_u", {-5.0}), 0u);
  EXPECT_EQ(F64("i32_sat_f64_u", {NAN}), 0u);
  EXPECT_EQ(F64("i32_sat_f64_u", {3e9}), 3000000000u);
  EXPECT_EQ(F64("i64_sat_f64_s", {1e300}), 0x7fffffffffffffffull);
  EXPECT_EQ(F64("i64_sat_f64_s", {-1e300}), 0x8000000000000000ull);
  EXPECT_EQ(F64("i64_sat_f64_s", {-INFINITY}), 0x8000000000000000ull);
  EXPECT_EQ(F64("i64_sat_f64_u", {1e300}), 0xffffffffffffffffull);
  EXPECT_EQ(F64("i64_sat_f64_u", {-1e300}), 0u);
  EXPECT_EQ(F64("i64_sat_f64_u", {NAN}), 0u);
  EXPECT_EQ(F64("i64_sat_f64_u", {1e19}), 10000000000000000000ull);
}

TEST_F(FloatTest, IntegerToFloat) {
  auto u64 = [&](std::string_view f, uint64_t v) { return Bits(inst_, f, {Value::I64(v)}); };
  EXPECT_EQ(u64("f64_from_u64", 0xffffffffffffffffull), F64Bits(18446744073709551616.0));
  EXPECT_EQ(u64("f64_from_u64", 0x8000000000000401ull),
            F64Bits(9223372036854777856.0));  // rounds up
  EXPECT_EQ(u64("f64_from_u64", 0x8000000000000400ull),
            F64Bits(9223372036854775808.0));  // tie to even
  EXPECT_EQ(u64("f32_from_u64", 0xffffffffffffffffull), F32Bits(18446744073709551616.0f));
  // Double rounding through f64 would give 2^63; correct rounding gives the next float up.
  EXPECT_EQ(u64("f32_from_u64", 0x8000008000000001ull), F32Bits(9223373136366403584.0f));
  EXPECT_EQ(u64("f32_from_u64", 1), F32Bits(1.0f));
  EXPECT_EQ(Bits(inst_, "f32_from_u32", {Value::I32(0xffffffff)}), F32Bits(4294967296.0f));
  EXPECT_EQ(u64("f64_from_s64", 0xffffffffffffffffull), F64Bits(-1.0));
  EXPECT_EQ(Bits(inst_, "bits32", {Value::F32Bits(kF32SNaN)}), kF32SNaN);
  EXPECT_EQ(u64("from_bits64", 0x7ff0000000000001ull), 0x7ff0000000000001ull);
  EXPECT_EQ(F64("demote", {1e300}), F32Bits(INFINITY));
  EXPECT_EQ(F32("promote", {1.5f}), F64Bits(1.5));
}

}  // namespace
}  // namespace wasmgrind::test
