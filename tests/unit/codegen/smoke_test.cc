// First light: a few small functions through the whole pipeline.
#include "jit_test_util.h"

namespace wasmgrind::test {
namespace {

TEST_F(JitTest, AddAndFactorial) {
  Instance* inst = Load(R"(
    (module
      (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
      (func $fac (export "fac") (param i64) (result i64)
        local.get 0 i64.eqz
        if (result i64) i64.const 1
        else local.get 0 local.get 0 i64.const 1 i64.sub call $fac i64.mul end))
  )");
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(Bits(inst, "add", {Value::I32(2), Value::I32(40)}), 42u);
  EXPECT_EQ(Bits(inst, "add", {Value::I32(0xffffffff), Value::I32(2)}), 1u);
  EXPECT_EQ(Bits(inst, "fac", {Value::I64(20)}), 2432902008176640000ull);
}

}  // namespace
}  // namespace wasmgrind::test
