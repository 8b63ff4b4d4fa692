// Linear memory from JIT code: every load/store width, constant and large offsets, the guard
// region (out-of-bounds faults become traps), memory.size/grow, and the bulk operations.
#include "jit_test_util.h"

namespace wasmgrind::test {
namespace {

TEST_F(JitTest, LoadsAndStores) {
  Instance* inst = Load(R"(
    (module
      (memory 1 3)
      (func (export "store64") (param i32 i64) (i64.store (local.get 0) (local.get 1)))
      (func (export "load8_s") (param i32) (result i32) (i32.load8_s (local.get 0)))
      (func (export "load8_u") (param i32) (result i32) (i32.load8_u (local.get 0)))
      (func (export "load16_s64") (param i32) (result i64) (i64.load16_s offset=2 (local.get 0)))
      (func (export "load32_u64") (param i32) (result i64) (i64.load32_u (local.get 0)))
      (func (export "load32_s64") (param i32) (result i64) (i64.load32_s (local.get 0)))
      (func (export "load_f64") (param i32) (result f64) (f64.load (local.get 0)))
      (func (export "store_consts")
        (i32.store8 (i32.const 100) (i32.const 0x1ff))
        (i32.store16 (i32.const 102) (i32.const 0x12345))
        (i64.store32 (i32.const 104) (i64.const 0x1deadbeef))
        (f32.store (i32.const 108) (f32.const 1.5))
        (f64.store (i32.const 112) (f64.const -2.25)))
      (func (export "load_at") (param i32) (result i64) (i64.load (local.get 0)))
      (func (export "high_offset") (param i32) (result i32) (i32.load offset=0xfffffff0 (local.get 0)))
      (func (export "const_oob") (result i32) (i32.load (i32.const 0x7ffffff0)))
      (func (export "size") (result i32) (memory.size))
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
      (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
      (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2))))
  )");
  ASSERT_NE(inst, nullptr);
  auto store = Call(inst, "store64", {Value::I32(8), Value::I64(0x8081828384858687ull)});
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  EXPECT_EQ(Bits(inst, "load8_s", {Value::I32(8)}), 0xffffff87u);
  EXPECT_EQ(Bits(inst, "load8_u", {Value::I32(8)}), 0x87u);
  EXPECT_EQ(Bits(inst, "load16_s64", {Value::I32(8)}), 0xffffffffffff8485ull);
  EXPECT_EQ(Bits(inst, "load32_u64", {Value::I32(12)}), 0x80818283ull);
  EXPECT_EQ(Bits(inst, "load32_s64", {Value::I32(12)}), 0xffffffff80818283ull);
  ASSERT_TRUE(Call(inst, "store_consts").ok());
  EXPECT_EQ(Bits(inst, "load_at", {Value::I32(100)}), 0xdeadbeef234500ffull);  // byte 101 untouched
  EXPECT_EQ(Bits(inst, "load_at", {Value::I32(104)}), 0x3fc00000deadbeefull);
  EXPECT_EQ(Bits(inst, "load_f64", {Value::I32(112)}), F64Bits(-2.25));
  // Out of bounds: just past the end, with a huge offset, and far away as a constant.
  EXPECT_EQ(TrapOf(inst, "load_at", {Value::I32(65536 - 7)}), TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(TrapOf(inst, "load_at", {Value::I32(0xffffffff)}), TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(TrapOf(inst, "high_offset", {Value::I32(0xffffffff)}), TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(TrapOf(inst, "const_oob"), TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(Bits(inst, "size"), 1u);
  EXPECT_EQ(Bits(inst, "grow", {Value::I32(1)}), 1u);
  EXPECT_EQ(Bits(inst, "size"), 2u);
  EXPECT_EQ(Bits(inst, "load_at", {Value::I32(65536 + 8)}), 0u) << "grown pages are accessible";
  EXPECT_EQ(Bits(inst, "grow", {Value::I32(5)}), 0xffffffffu);
  ASSERT_TRUE(Call(inst, "fill", {Value::I32(200), Value::I32(0xab), Value::I32(8)}).ok());
  EXPECT_EQ(Bits(inst, "load_at", {Value::I32(200)}), 0xababababababababull);
  ASSERT_TRUE(Call(inst, "copy", {Value::I32(300), Value::I32(200), Value::I32(4)}).ok());
  EXPECT_EQ(Bits(inst, "load_at", {Value::I32(300)}), 0xababababull);
  EXPECT_EQ(TrapOf(inst, "fill", {Value::I32(2 * 65536 - 1), Value::I32(0), Value::I32(2)}),
            TrapKind::MemoryOutOfBounds);
}

TEST_F(JitTest, GlobalsAndTables) {
  Instance* inst = Load(R"(
    (module
      (global $g (mut i64) (i64.const 5))
      (global $f (mut f32) (f32.const 0.5))
      (table $t 2 10 funcref)
      (func $one (result i32) (i32.const 1))
      (elem declare func $one)
      (func (export "bump") (result i64) (global.set $g (i64.add (global.get $g) (i64.const 1))) (global.get $g))
      (func (export "setf") (param f32) (result f32) (global.set $f (local.get 0)) (global.get $f))
      (func (export "tsize") (result i32) (table.size $t))
      (func (export "tgrow") (param i32) (result i32) (table.grow $t (ref.func $one) (local.get 0)))
      (func (export "tnull") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
      (func (export "tset") (param i32) (table.set $t (local.get 0) (ref.func $one))))
  )");
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(Bits(inst, "bump"), 6u);
  EXPECT_EQ(Bits(inst, "bump"), 7u);
  EXPECT_EQ(Bits(inst, "setf", {Value::F32(2.5f)}), F32Bits(2.5f));
  EXPECT_EQ(Bits(inst, "tsize"), 2u);
  EXPECT_EQ(Bits(inst, "tnull", {Value::I32(1)}), 1u);
  ASSERT_TRUE(Call(inst, "tset", {Value::I32(1)}).ok());
  EXPECT_EQ(Bits(inst, "tnull", {Value::I32(1)}), 0u);
  EXPECT_EQ(Bits(inst, "tgrow", {Value::I32(3)}), 2u);
  EXPECT_EQ(Bits(inst, "tsize"), 5u);
  EXPECT_EQ(Bits(inst, "tnull", {Value::I32(4)}), 0u);
  EXPECT_EQ(TrapOf(inst, "tnull", {Value::I32(5)}), TrapKind::TableOutOfBounds);
}

}  // namespace
}  // namespace wasmgrind::test
