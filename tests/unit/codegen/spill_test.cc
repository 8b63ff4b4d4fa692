// Values that live across a call are spilled by asmjit's allocator; instructions whose operands
// it then rewrites into memory forms must still do the right thing. Regression: a spilled f64
// local read through i64.reinterpret_f64 came back as garbage (asmjit encoded the rewritten
// `movq r64, m64` as the MMX load), which made printf("%f", -0.5) loop out of bounds.
#include "jit_test_util.h"

namespace wasmgrind::test {
namespace {

constexpr const char* kSpillModule = R"((module
  (func $keep64 (param f64 i32) (result f64) local.get 0)
  (func $keep32 (param f32 i32) (result f32) local.get 0)
  (func $keepi64 (param i64 i32) (result i64) local.get 0)
  (func (export "f64_bits") (param f64) (result i64) (local f64 f64)
    local.get 0 local.tee 1 i32.const 0 call $keep64 local.set 2
    local.get 1 i64.reinterpret_f64)
  (func (export "f32_bits") (param f32) (result i32) (local f32 f32)
    local.get 0 local.tee 1 i32.const 0 call $keep32 local.set 2
    local.get 1 i32.reinterpret_f32)
  (func (export "i64_float") (param i64) (result f64) (local i64 i64)
    local.get 0 local.tee 1 i32.const 0 call $keepi64 local.set 2
    local.get 1 f64.reinterpret_i64)
  (func (export "signbit") (param f64) (result i32) (local f64 f64)
    local.get 0 local.tee 1 i32.const 0 call $keep64 local.set 2
    local.get 1 i64.reinterpret_f64 i64.const 63 i64.shr_u i32.wrap_i64))
)";

TEST_F(JitTest, ReinterpretOfValuesSpilledAcrossCalls) {
  Instance* inst = Load(kSpillModule);
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(Bits(inst, "f64_bits", {Value::F64(-0.5)}), F64Bits(-0.5));
  EXPECT_EQ(Bits(inst, "f32_bits", {Value::F32(-1.5f)}), F32Bits(-1.5f));
  EXPECT_EQ(Bits(inst, "i64_float", {Value::I64(F64Bits(2.25))}), F64Bits(2.25));
  EXPECT_EQ(Bits(inst, "signbit", {Value::F64(-0.5)}), 1u);
  EXPECT_EQ(Bits(inst, "signbit", {Value::F64(0.5)}), 0u);
}

}  // namespace
}  // namespace wasmgrind::test
