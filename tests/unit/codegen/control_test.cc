// Control flow and calls: multi-value blocks and branches, loops with params, br_table (compare
// chain and jump table, with values), select, dead code, recursion and the stack limit,
// call_indirect checks, the Buffer ABI (many params / several results), and host calls.
#include "jit_test_util.h"

namespace wasmgrind::test {
namespace {

TEST_F(JitTest, BlocksLoopsAndBranches) {
  Instance* inst = Load(R"(
    (module
      (func (export "sum") (param i32) (result i32) (local i32)
        (block (loop
          (br_if 1 (i32.eqz (local.get 0)))
          (local.set 1 (i32.add (local.get 1) (local.get 0)))
          (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
          (br 0)))
        (local.get 1))
      (func (export "multi") (param i32) (result i32 i64)
        (block (result i32 i64)
          (i32.const 1) (i64.const 2)
          (br_if 0 (local.get 0))
          (drop) (drop) (i32.const 3) (i64.const 4)))
      (func (export "loop_params") (param i32) (result i32)
        ;; counts down with the counter carried as a loop parameter
        (i32.const 0) (local.get 0)
        (loop (param i32 i32) (result i32 i32)
          (if (param i32 i32) (result i32 i32) (i32.eqz (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))
            (then)
            (else (i32.const 1) (i32.sub) (local.set 0 (i32.const 0)) (drop (i32.const 0))
                  (i32.const 1) (i32.add) (local.get 0) (i32.eqz) (br_if 1) (unreachable))))
        (drop))
      (func (export "if_novalue") (param i32) (result i32) (local i32)
        (if (local.get 0) (then (local.set 1 (i32.const 7))))
        (local.get 1))
      (func (export "if_params") (param i32 i32) (result i32)
        (local.get 1)
        (if (param i32) (result i32) (local.get 0) (then (i32.const 10) (i32.add))))
      (func (export "swap_via_block") (param i32 i32) (result i32 i32)
        (local.get 1) (local.get 0))
      (func (export "dead") (param i32) (result i32)
        (block (result i32)
          (br 0 (i32.const 5))
          (block (loop (i32.const 1) (br_if 0) (unreachable)))
          (i32.add (i32.const 1))))
      (func (export "select_i64") (param i64 i64 i32) (result i64)
        (select (local.get 0) (local.get 1) (local.get 2)))
      (func (export "select_f64") (param f64 f64 i32) (result f64)
        (select (local.get 0) (local.get 1) (local.get 2)))
      (func (export "select_cmp") (param i32 i32) (result i32)
        (select (local.get 0) (local.get 1) (i32.lt_s (local.get 0) (local.get 1))))
      (func (export "alias_then_set") (param i32) (result i32)
        ;; the old value of local 0 must survive the set
        (local.get 0) (local.set 0 (i32.const 100)) (local.get 0) (i32.sub))
      (func (export "cond_then_set") (param i32) (result i32)
        ;; a pending compare of local 0 must use the old value
        (i32.lt_s (local.get 0) (i32.const 10)) (local.set 0 (i32.const 50))
        (if (result i32) (then (local.get 0)) (else (i32.const -1)))))
  )");
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(Bits(inst, "sum", {Value::I32(100)}), 5050u);
  auto m = Call(inst, "multi", {Value::I32(1)});
  ASSERT_TRUE(m.ok());
  EXPECT_EQ((*m)[0].bits, 1u);
  EXPECT_EQ((*m)[1].bits, 2u);
  m = Call(inst, "multi", {Value::I32(0)});
  ASSERT_TRUE(m.ok());
  EXPECT_EQ((*m)[0].bits, 3u);
  EXPECT_EQ((*m)[1].bits, 4u);
  EXPECT_EQ(Bits(inst, "if_novalue", {Value::I32(1)}), 7u);
  EXPECT_EQ(Bits(inst, "if_novalue", {Value::I32(0)}), 0u);
  EXPECT_EQ(Bits(inst, "if_params", {Value::I32(1), Value::I32(5)}), 15u);
  EXPECT_EQ(Bits(inst, "if_params", {Value::I32(0), Value::I32(5)}), 5u);
  auto s = Call(inst, "swap_via_block", {Value::I32(1), Value::I32(2)});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)[0].bits, 2u);
  EXPECT_EQ((*s)[1].bits, 1u);
  EXPECT_EQ(Bits(inst, "dead", {Value::I32(0)}), 5u);
  EXPECT_EQ(Bits(inst, "select_i64", {Value::I64(1ull << 40), Value::I64(2), Value::I32(1)}),
            1ull << 40);
  EXPECT_EQ(Bits(inst, "select_i64", {Value::I64(1ull << 40), Value::I64(2), Value::I32(0)}), 2u);
  EXPECT_EQ(Bits(inst, "select_f64", {Value::F64(1.5), Value::F64(2.5), Value::I32(0)}),
            F64Bits(2.5));
  EXPECT_EQ(Bits(inst, "select_f64", {Value::F64(1.5), Value::F64(2.5), Value::I32(7)}),
            F64Bits(1.5));
  EXPECT_EQ(Bits(inst, "select_cmp", {Value::I32(3), Value::I32(9)}), 3u);
  EXPECT_EQ(Bits(inst, "select_cmp", {Value::I32(9), Value::I32(3)}), 3u);
  EXPECT_EQ(Bits(inst, "alias_then_set", {Value::I32(1)}), static_cast<uint32_t>(-99));
  EXPECT_EQ(Bits(inst, "cond_then_set", {Value::I32(1)}), 50u);
  EXPECT_EQ(Bits(inst, "cond_then_set", {Value::I32(11)}), static_cast<uint32_t>(-1));
}

TEST_F(JitTest, BrTable) {
  Instance* inst = Load(R"(
    (module
      (func (export "small") (param i32) (result i32)
        (block (result i32) (block (result i32) (block (result i32)
          (br_table 0 1 2 (i32.const 100) (local.get 0)))
          (i32.add (i32.const 1))) (i32.add (i32.const 2))))
      (func (export "large") (param i32) (result i32)
        (block (block (block (block (block (block (block
          (br_table 0 1 2 3 4 5 0 3 6 (local.get 0)))
          (return (i32.const 10)))
          (return (i32.const 11)))
          (return (i32.const 12)))
          (return (i32.const 13)))
          (return (i32.const 14)))
          (return (i32.const 15)))
        (i32.const 16))
      (func (export "large_values") (param i32) (result i32)
        (block (result i32) (block (result i32) (block (result i32) (block (result i32) (block (result i32) (block (result i32)
          (br_table 0 1 2 3 4 5 (i32.mul (local.get 0) (i32.const 3)) (local.get 0)))
          (i32.add (i32.const 1))) (i32.add (i32.const 1))) (i32.add (i32.const 1)))
          (i32.add (i32.const 1))) (i32.add (i32.const 1))))
      (func (export "to_loop") (param i32) (result i32) (local i32)
        (loop
          (local.set 1 (i32.add (local.get 1) (i32.const 1)))
          (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
          (block (br_table 1 1 1 1 1 1 0 (local.get 0))))
        (local.get 1)))
  )");
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(Bits(inst, "small", {Value::I32(0)}), 103u);
  EXPECT_EQ(Bits(inst, "small", {Value::I32(1)}), 102u);
  EXPECT_EQ(Bits(inst, "small", {Value::I32(2)}), 100u);
  EXPECT_EQ(Bits(inst, "small", {Value::I32(99)}), 100u);
  const uint32_t large[] = {10, 11, 12, 13, 14, 15, 10, 13, 16, 16};
  for (uint32_t i = 0; i < 10; ++i) EXPECT_EQ(Bits(inst, "large", {Value::I32(i)}), large[i]) << i;
  EXPECT_EQ(Bits(inst, "large", {Value::I32(0xffffffff)}), 16u);
  for (uint32_t i = 0; i < 8; ++i) {
    uint32_t depth = i < 6 ? i : 5;
    EXPECT_EQ(Bits(inst, "large_values", {Value::I32(i)}), 3 * i + 5 - depth) << i;
  }
  EXPECT_EQ(Bits(inst, "to_loop", {Value::I32(20)}), 1u);
  EXPECT_EQ(Bits(inst, "to_loop", {Value::I32(5)}), 6u);
}

TEST_F(JitTest, CallsAndStackLimit) {
  Instance* inst = Load(R"(
    (module
      (type $ii (func (param i32) (result i32)))
      (table 4 funcref)
      (elem (i32.const 0) $inc $double)
      (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
      (func $double (type $ii) (i32.mul (local.get 0) (i32.const 2)))
      (func $wrong (param i64) (result i64) (local.get 0))
      (elem (i32.const 2) $wrong)
      (func (export "indirect") (param i32 i32) (result i32)
        (call_indirect (type $ii) (local.get 1) (local.get 0)))
      (func $fib (export "fib") (param i32) (result i32)
        (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
          (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                         (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
      (func $forever (export "forever") (param i32) (result i32)
        (call $forever (i32.add (local.get 0) (i32.const 1))))
      (func $many (param i32 i64 f32 f64 i32 i64 f32 f64 i32 i64 f32 f64 i32 i64) (result f64)
        (f64.add
          (f64.add (f64.convert_i32_s (local.get 0)) (f64.convert_i64_s (local.get 13)))
          (f64.add (f64.promote_f32 (local.get 10)) (local.get 11))))
      (func (export "many") (result f64)
        (call $many (i32.const 1) (i64.const 2) (f32.const 3) (f64.const 4) (i32.const 5) (i64.const 6)
                    (f32.const 7) (f64.const 8) (i32.const 9) (i64.const 10) (f32.const 11)
                    (f64.const 12) (i32.const 13) (i64.const 14)))
      (func $three (param i32) (result i32 i64 f32)
        (local.get 0) (i64.extend_i32_u (local.get 0)) (f32.convert_i32_u (local.get 0)))
      (func (export "three_sum") (param i32) (result f64) (local i32 i64 f32)
        (call $three (local.get 0)) (local.set 3) (local.set 2) (local.set 1)
        (f64.add (f64.add (f64.convert_i32_u (local.get 1)) (f64.convert_i64_u (local.get 2)))
                 (f64.promote_f32 (local.get 3)))))
  )");
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(Bits(inst, "indirect", {Value::I32(0), Value::I32(5)}), 6u);
  EXPECT_EQ(Bits(inst, "indirect", {Value::I32(1), Value::I32(5)}), 10u);
  EXPECT_EQ(TrapOf(inst, "indirect", {Value::I32(2), Value::I32(5)}),
            TrapKind::IndirectCallTypeMismatch);
  EXPECT_EQ(TrapOf(inst, "indirect", {Value::I32(3), Value::I32(5)}),
            TrapKind::UninitializedElement);
  EXPECT_EQ(TrapOf(inst, "indirect", {Value::I32(4), Value::I32(5)}), TrapKind::UndefinedElement);
  EXPECT_EQ(Bits(inst, "fib", {Value::I32(20)}), 6765u);
  EXPECT_EQ(TrapOf(inst, "forever", {Value::I32(0)}), TrapKind::CallStackExhausted);
  EXPECT_EQ(Bits(inst, "fib", {Value::I32(10)}), 55u) << "the store is usable after a trap";
  EXPECT_EQ(Bits(inst, "many"), F64Bits(1 + 14 + 11 + 12));
  EXPECT_EQ(Bits(inst, "three_sum", {Value::I32(21)}), F64Bits(63));
}

TEST_F(JitTest, HostFunctions) {
  FuncType type{{ValType::I32, ValType::F64}, {ValType::F64}};
  Function* host = store_.CreateHostFunction(
      type, [](std::span<const Value> args, std::span<Value> results) -> Result<void> {
        results[0] = Value::F64(args[0].i32() * args[1].f64());
        return Ok();
      });
  FuncType multi{{ValType::I32}, {ValType::I32, ValType::I32}};
  Function* host2 = store_.CreateHostFunction(
      multi, [](std::span<const Value> args, std::span<Value> results) -> Result<void> {
        if (args[0].i32() == 13) return Error::FromTrap(TrapKind::HostTrap);
        results[0] = Value::I32(args[0].i32() + 1);
        results[1] = Value::I32(args[0].i32() + 2);
        return Ok();
      });
  linker_.Define("env", "scale", host);
  linker_.Define("env", "pair", host2);
  Instance* inst = Load(R"(
    (module
      (import "env" "scale" (func $scale (param i32 f64) (result f64)))
      (import "env" "pair" (func $pair (param i32) (result i32 i32)))
      (func (export "use_scale") (param i32) (result f64) (call $scale (local.get 0) (f64.const 1.5)))
      (func (export "use_pair") (param i32) (result i32) (call $pair (local.get 0)) (i32.mul)))
  )");
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(Bits(inst, "use_scale", {Value::I32(4)}), F64Bits(6.0));
  EXPECT_EQ(Bits(inst, "use_pair", {Value::I32(4)}), 30u);
  EXPECT_EQ(TrapOf(inst, "use_pair", {Value::I32(13)}), TrapKind::HostTrap);
}

}  // namespace
}  // namespace wasmgrind::test
