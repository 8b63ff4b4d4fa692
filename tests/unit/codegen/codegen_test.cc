// The code generator's shortcuts (bench/notes.md), each against the plain semantics it replaces:
//  - memory operands use the i32 index register's 64-bit view directly, so every producer of an
//    i32 must leave the upper half zero (wrap, runtime-call results, compares, loads, params);
//  - `local + x` / `local - imm` become one lea (wrap-around at 32 bits, INT32_MIN, i64 limits);
//  - local.set/tee of the value just computed renames the temporary to the local, which must
//    not happen when the local's old value is still read after the first write;
//  - BMI2 shlx/shrx/sarx and rorx (count masking, rotate by 0 and by the width);
//  - a compare stored into a local that lives across calls and loops;
//  - per-loop copies of the memory base and of locals.
#include "jit_test_util.h"

namespace wasmgrind::test {
namespace {

TEST_F(JitTest, AddressingUsesZeroExtendedIndexes) {
  Instance* inst = Load(R"(
    (module
      (memory 1 2)
      (func $id (param i32) (result i32) (local.get 0))
      ;; i64 with garbage in the upper half, wrapped: the address must use the low half only.
      (func (export "wrap_index") (param i64) (result i32)
        (i32.store (i32.wrap_i64 (local.get 0)) (i32.const 77))
        (i32.load offset=0 (i32.wrap_i64 (local.get 0))))
      ;; memory.grow's result (a C uint32_t) as an address.
      (func (export "grow_index") (result i32)
        (i32.store8 offset=3 (memory.grow (i32.const 0)) (i32.const 5))
        (i32.load8_u offset=4 (i32.sub (memory.grow (i32.const 0)) (i32.const 0))))
      ;; results of calls, compares, sub-word loads and lea as indexes; large offsets.
      (func (export "mixed") (param i32) (result i32) (local i32)
        (i32.store offset=16 (call $id (local.get 0)) (i32.const 0x11223344))
        (local.set 1 (i32.lt_u (local.get 0) (i32.const 100)))
        (i32.store8 offset=200 (local.get 1) (i32.const 9))
        (i32.add
          (i32.add (i32.load offset=16 (local.get 0))
                   (i32.load8_u offset=200 (i32.const 1)))
          (i32.load16_u offset=0x10 (i32.add (local.get 0) (i32.const 0)))))
      (func (export "oob_wrapped") (param i32) (result i32)
        (i32.load offset=0xfffffff0 (i32.add (local.get 0) (i32.const 0x20)))))
  )");
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(Bits(inst, "wrap_index", {Value::I64(0xffffffff00000040ull)}), 77u);
  EXPECT_EQ(Bits(inst, "grow_index"), 0u);
  EXPECT_EQ(Bits(inst, "mixed", {Value::I32(40)}), 0x11223344u + 9u + 0x3344u);
  // 0xfffffff0 + 0x20 wraps to 0x10 in i32.add, then offset 0xfffffff0: out of bounds.
  EXPECT_EQ(TrapOf(inst, "oob_wrapped", {Value::I32(0xfffffff0)}), TrapKind::MemoryOutOfBounds);
}

TEST_F(JitTest, AddAsLeaWrapsLikeWasm) {
  Instance* inst = Load(R"(
    (module
      (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
      (func (export "add_imm") (param i32) (result i32) (i32.add (local.get 0) (i32.const -4)))
      (func (export "sub_imm") (param i32) (result i32) (i32.sub (local.get 0) (i32.const 0x7fffffff)))
      (func (export "sub_min") (param i32) (result i32) (i32.sub (local.get 0) (i32.const 0x80000000)))
      (func (export "add64") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))
      (func (export "sub64_big") (param i64) (result i64) (i64.sub (local.get 0) (i64.const 0x80000000)))
      (func (export "sub64_min") (param i64) (result i64) (i64.sub (local.get 0) (i64.const 0x8000000000000000)))
      (func (export "add64_neg") (param i64) (result i64) (i64.add (local.get 0) (i64.const -0x80000000))))
  )");
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(Bits(inst, "add", {Value::I32(0xffffffff), Value::I32(2)}), 1u);
  EXPECT_EQ(Bits(inst, "add_imm", {Value::I32(2)}), 0xfffffffeu);
  EXPECT_EQ(Bits(inst, "sub_imm", {Value::I32(0)}), 0x80000001u);
  EXPECT_EQ(Bits(inst, "sub_min", {Value::I32(1)}), 0x80000001u);
  EXPECT_EQ(Bits(inst, "add64", {Value::I64(~0ull), Value::I64(2)}), 1u);
  EXPECT_EQ(Bits(inst, "sub64_big", {Value::I64(0)}), 0xffffffff80000000ull);
  EXPECT_EQ(Bits(inst, "sub64_min", {Value::I64(1)}), 0x8000000000000001ull);
  EXPECT_EQ(Bits(inst, "add64_neg", {Value::I64(0)}), 0xffffffff80000000ull);
}

TEST_F(JitTest, LocalSetRetargetKeepsOldValueWhereRead) {
  Instance* inst = Load(R"(
    (module
      (memory 1)
      ;; l0 = l1 - l0: the sub reads l0 after the copy of l1; renaming would clobber it.
      (func (export "rsub") (param i32 i32) (result i32)
        (local.set 0 (i32.sub (local.get 1) (local.get 0))) (local.get 0))
      ;; l0 = l0 * l0 + ... through tee, and an alias of the old l0 still on the stack.
      (func (export "alias") (param i32) (result i32)
        (local.get 0)
        (local.set 0 (i32.mul (local.get 0) (i32.const 3)))
        (local.get 0)
        (i32.sub))
      ;; l0 = load [l0]: read before write in one instruction.
      (func (export "chase") (param i32) (result i32)
        (i32.store (i32.const 8) (i32.const 16))
        (i32.store (i32.const 16) (i32.const 24))
        (local.set 0 (i32.load (local.get 0)))
        (local.set 0 (i32.load (local.get 0)))
        (local.get 0))
      ;; a value computed earlier, modified, then stored: only the last instruction's own temp
      ;; may be renamed.
      (func (export "older") (param i32 i32) (result i32)
        (i32.store (i32.const 0) (i32.const 5))
        (local.set 1 (i32.add (i32.load (i32.const 0)) (i32.const 1)))
        (local.get 1))
      ;; a loop-carried update and a compare stored into a local across calls.
      (func $noise (param i32) (result i32) (i32.mul (local.get 0) (i32.const 7)))
      (func (export "loop") (param i32) (result i32) (local i32 i32)
        (loop $l
          (local.set 1 (i32.add (local.get 1) (call $noise (local.get 0))))
          (local.set 2 (i32.add (local.get 2) (i32.gt_u (local.get 1) (i32.const 50))))
          (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))
          (br_if $l))
        (i32.add (i32.mul (local.get 1) (i32.const 1000)) (local.get 2)))
      (func (export "div_into") (param i32 i32) (result i32)
        (local.set 0 (i32.div_u (local.get 0) (local.get 1))) (local.get 0)))
  )");
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(Bits(inst, "rsub", {Value::I32(3), Value::I32(10)}), 7u);
  EXPECT_EQ(Bits(inst, "alias", {Value::I32(5)}), static_cast<uint32_t>(5 - 15));
  EXPECT_EQ(Bits(inst, "chase", {Value::I32(8)}), 24u);
  EXPECT_EQ(Bits(inst, "older", {Value::I32(0), Value::I32(0)}), 6u);
  // sums 7*n for n = 5..1: 35, 63, 84, 98, 105; above 50 from the second on.
  EXPECT_EQ(Bits(inst, "loop", {Value::I32(5)}), 105u * 1000u + 4u);
  EXPECT_EQ(Bits(inst, "div_into", {Value::I32(100), Value::I32(7)}), 14u);
  EXPECT_EQ(TrapOf(inst, "div_into", {Value::I32(1), Value::I32(0)}),
            TrapKind::IntegerDivideByZero);
}

// Each loop that touches memory gets its own copy of the memory base, inserted before its
// header; a loop that opens the function shares its insertion point with the prologue's load.
TEST_F(JitTest, LoopMemoryBaseCopies) {
  Instance* inst = Load(R"(
    (module
      (memory 1)
      (data (i32.const 0) "\01\02\03\04\05\06\07\08")
      (func (export "first") (param i32) (result i32) (local i32)
        (loop $l
          (local.set 1 (i32.add (local.get 1) (i32.load8_u (local.get 0))))
          (br_if $l (i32.lt_u (local.tee 0 (i32.add (local.get 0) (i32.const 1))) (i32.const 8))))
        (local.get 1))
      (func (export "nested") (result i32) (local i32 i32 i32)
        (loop $outer
          (local.set 1 (i32.const 0))
          (loop $inner
            (local.set 2 (i32.add (local.get 2) (i32.load8_u (i32.add (local.get 0) (local.get 1)))))
            (br_if $inner (i32.lt_u (local.tee 1 (i32.add (local.get 1) (i32.const 1))) (i32.const 4))))
          (i32.store8 offset=100 (local.get 0) (local.get 2))
          (br_if $outer (i32.lt_u (local.tee 0 (i32.add (local.get 0) (i32.const 1))) (i32.const 4))))
        (i32.add (local.get 2) (i32.load8_u offset=103 (i32.const 0)))))
  )");
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(Bits(inst, "first", {Value::I32(0)}), 36u);
  EXPECT_EQ(Bits(inst, "first", {Value::I32(5)}), 6u + 7u + 8u);
  // windows of 4 from 0..3: 10, 14, 18, 22 -> running sums 10, 24, 42, 64
  EXPECT_EQ(Bits(inst, "nested"), 64u + 64u);
}

// Innermost loops work on copies of the locals they use, written back on every exit: the
// fall-through, br/br_if/br_table to outer blocks (also from a nested loop, through two levels),
// an exit compiled before the loop's first use of a local, loops with results, and a local
// first written (not read) in the loop.
TEST_F(JitTest, LoopCopiesOfLocalsReachEveryExit) {
  Instance* inst = Load(R"(
    (module
      (func $id (param i32) (result i32) (local.get 0))
      ;; early exit (br_if 1) compiled before the loop's first use of local 1
      (func (export "early") (param i32) (result i32) (local i32)
        (block $out
          (loop $l
            (br_if $out (i32.ge_u (local.get 0) (i32.const 10)))
            (local.set 1 (i32.add (local.get 1) (local.get 0)))
            (local.set 0 (i32.add (local.get 0) (i32.const 1)))
            (br $l)))
        (i32.add (i32.mul (local.get 0) (i32.const 1000)) (local.get 1)))
      ;; br_table out of an inner loop, past an outer loop
      (func (export "table") (param i32) (result i32) (local i32 i32)
        (block $done
          (block $two
            (loop $outer
              (local.set 2 (i32.add (local.get 2) (i32.const 100)))
              (loop $inner
                (local.set 1 (i32.add (local.get 1) (i32.const 1)))
                (br_table $inner $two $done $outer
                  (i32.rem_u (i32.add (local.get 1) (local.get 0)) (i32.const 4))))))
          (local.set 1 (i32.add (local.get 1) (i32.const 5000))))
        (i32.add (local.get 1) (local.get 2)))
      ;; a loop with a result, a local written first, then read after the loop
      (func (export "result") (param i32) (result i32) (local i32)
        (i32.add
          (loop $l (result i32)
            (local.set 1 (i32.mul (local.get 0) (i32.const 3)))
            (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
            (br_if $l (i32.gt_s (local.get 0) (i32.const 2)))
            (local.get 1))
          (i32.mul (local.get 1) (local.get 0))))
      ;; a call inside the loop stops new copies; locals used after it stay in place
      (func (export "calls") (param i32) (result i32) (local i32 i32)
        (loop $l
          (local.set 1 (i32.add (local.get 1) (local.get 0)))
          (local.set 2 (i32.add (local.get 2) (call $id (local.get 1))))
          (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
        (i32.add (i32.mul (local.get 1) (i32.const 1000)) (local.get 2))))
  )");
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(Bits(inst, "early", {Value::I32(0)}), 10u * 1000u + 45u);
  EXPECT_EQ(Bits(inst, "early", {Value::I32(12)}), 12u * 1000u);
  // selector (l1 + l0) % 4 with l1 = 1, 2, ...: 0 -> $inner, 1 -> $two, 2 -> $done, 3 -> $outer
  EXPECT_EQ(Bits(inst, "table", {Value::I32(0)}), 5001u + 100u);
  EXPECT_EQ(Bits(inst, "table", {Value::I32(1)}), 1u + 100u);
  EXPECT_EQ(Bits(inst, "table", {Value::I32(2)}), 5003u + 200u);  // $outer, $inner, then $two
  EXPECT_EQ(Bits(inst, "table", {Value::I32(3)}), 5002u + 100u);
  // l0: 5,4,3 -> loop exits when l0 = 2 with l1 = 9; result 9 + 9 * 2
  EXPECT_EQ(Bits(inst, "result", {Value::I32(5)}), 27u);
  // l0 = 3, 2, 1: l1 = 3, 5, 6; l2 = 3 + 5 + 6
  EXPECT_EQ(Bits(inst, "calls", {Value::I32(3)}), 6000u + 14u);
}

TEST_F(JitTest, ShiftsAndRotatesMaskCounts) {
  Instance* inst = Load(R"(
    (module
      (func (export "shl") (param i32 i32) (result i32) (i32.shl (local.get 0) (local.get 1)))
      (func (export "shr_s") (param i32 i32) (result i32) (i32.shr_s (local.get 0) (local.get 1)))
      (func (export "shr_u64") (param i64 i64) (result i64) (i64.shr_u (local.get 0) (local.get 1)))
      (func (export "shl_const_value") (param i32) (result i32) (i32.shl (i32.const 1) (local.get 0)))
      (func (export "rotl0") (param i32) (result i32) (i32.rotl (local.get 0) (i32.const 32)))
      (func (export "rotl5") (param i32) (result i32) (i32.rotl (local.get 0) (i32.const 5)))
      (func (export "rotr64") (param i64) (result i64) (i64.rotr (local.get 0) (i64.const 68)))
      (func (export "rotl64") (param i64) (result i64) (i64.rotl (local.get 0) (i64.const 1))))
  )");
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(Bits(inst, "shl", {Value::I32(3), Value::I32(33)}), 6u);
  EXPECT_EQ(Bits(inst, "shr_s", {Value::I32(0x80000000), Value::I32(31)}), 0xffffffffu);
  EXPECT_EQ(Bits(inst, "shr_u64", {Value::I64(0x8000000000000000ull), Value::I64(127)}), 1u);
  EXPECT_EQ(Bits(inst, "shl_const_value", {Value::I32(4)}), 16u);
  EXPECT_EQ(Bits(inst, "rotl0", {Value::I32(0x12345678)}), 0x12345678u);
  EXPECT_EQ(Bits(inst, "rotl5", {Value::I32(0x80000001)}), 0x30u);
  EXPECT_EQ(Bits(inst, "rotr64", {Value::I64(0x10)}), 1u);
  EXPECT_EQ(Bits(inst, "rotl64", {Value::I64(0x8000000000000001ull)}), 3u);
}

}  // namespace
}  // namespace wasmgrind::test
