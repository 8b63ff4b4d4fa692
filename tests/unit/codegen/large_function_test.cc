// The large-function path (EngineOptions::max_allocator_pressure, max_register_locals): locals in
// stack slots, virtual registers compacted (vreg_compactor.h), and the operand stack's spill
// area (kMaxRegisterValues), which every function has. The same functions compiled both ways
// return the same results; on the pathological shapes of bench/gen_pathological.py the
// allocator's virtual-register count stays bounded however large the function grows.
#include <gtest/gtest.h>

#include <string>

#include "jit_test_util.h"
#include "vm/jit/compiled_code.h"
#include "vm/jit/function_compiler.h"

namespace wasmgrind::test {
namespace {

// Values deeper than kMaxRegisterValues of every type, live across blocks, calls with more
// params than that, locals of every type through tee/select/loops/br_table, a loop whose
// params are spilled values.
std::string MixedModule() {
  std::string wat = R"((module
  (memory 1)
  (data (i32.const 16) "\07\00\00\00\05\00\00\00")
  (func $sum40 (param)";
  for (int i = 0; i < 40; ++i) wat += " i64";
  wat += R"() (result i64)
    (local $acc i64) (local $i i32)
    (loop $next
      (local.set $acc (i64.add (local.get $acc)
        (i64.mul (i64.extend_i32_u (i32.add (local.get $i) (i32.const 1)))
          (select (local.get 0) (local.get 39) (i32.and (local.get $i) (i32.const 1))))))
      (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 40))))
    (local.get $acc))
  (func (export "call40") (param $x i64) (result i64)
)";
  for (int i = 0; i < 40; ++i)
    wat += "    (i64.add (local.get $x) (i64.const " + std::to_string(i) + "))\n";
  wat += R"(    call $sum40)
  (func (export "deep") (param $x i32) (result f64)
    (local $f f32) (local $d f64) (local $j i64)
    (local.set $f (f32.convert_i32_s (local.get $x)))
)";
  // 3 x 30 values of i32, f64 and i64 stacked (deeper than kMaxRegisterValues), each a load or
  // computation, with blocks and ifs in between; then folded into one f64.
  for (int i = 0; i < 30; ++i) {
    std::string k = std::to_string(i);
    wat += "    (i32.add (i32.load offset=16 (i32.const 0)) (i32.const " + k + "))\n";
    wat += "    (f64.mul (f64.convert_i32_s (local.get $x)) (f64.const " + k + ".5))\n";
    wat += "    (block (result i64) (i64.extend_i32_s (i32.sub (local.get $x) (i32.const " + k +
           "))) (br_if 0 (i32.and (local.get $x) (i32.const 1))) (drop) (i64.const " + k + "))\n";
    wat += "    (if (i32.eqz (local.get $x)) (then (local.set $j (i64.const 1))))\n";
  }
  for (int i = 0; i < 30; ++i) {
    wat += "    (local.set $j (i64.add (local.get $j)))\n";
    wat += "    (local.set $d (f64.add (local.get $d)))\n";
    wat += "    (local.set $j (i64.add (i64.extend_i32_u) (local.get $j)))\n";
  }
  wat += R"(    (f64.add (f64.add (local.get $d) (f64.convert_i64_s (local.get $j)))
             (f64.promote_f32 (local.get $f))))
  (func (export "switch") (param $x i32) (result i32)
    (local $a i32) (local $b i64)
    (block $out (result i32)
      (block $other
        (block $two
          (block $one
            (block $zero
              (br_table $zero $one $two $two $two $two $other (local.get $x)))
            (local.set $a (i32.const 100)) (br $out (local.get $a)))
          (local.set $b (i64.const -5)) (br $out (i32.wrap_i64 (local.get $b))))
        (br $out (i32.const 7)))
      (local.get $x)))
  (func (export "params_in_loop") (param $n i32) (result i32 i32)
    (local.get $n) (i32.const 1)
)";
  // Push 40 dummies so that the loop's params sit below kMaxRegisterValues, then drop them.
  for (int i = 0; i < 40; ++i) wat += "    (i32.add (local.get $n) (i32.const 1))\n";
  for (int i = 0; i < 40; ++i) wat += "    (drop)\n";
  wat += R"(    (loop $l (param i32 i32) (result i32 i32)
      (i32.add (local.get $n))
      (if (param i32 i32) (result i32 i32) (i32.gt_u (i32.const 1) (i32.const 2))
        (then) (else (call $swap)))
      (call $swap)
      (br_if $l (i32.const 0))))
  (func $swap (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
))";
  return wat;
}

class LargeFunctionTest : public JitTest {
 protected:
  static EngineOptions Large() {
    EngineOptions options;
    options.max_allocator_pressure = 0;
    options.max_register_locals = 0;
    return options;
  }
};

TEST_F(LargeFunctionTest, SameResultsBothWays) {
  std::vector<uint8_t> wasm = Wat2Wasm(MixedModule());
  ASSERT_FALSE(wasm.empty());
  std::vector<std::vector<uint64_t>> results;
  for (EngineOptions options : {EngineOptions{}, Large()}) {
    Engine engine(options);
    Store store(engine);
    Linker linker;
    auto module = Module::Compile(engine, wasm);
    ASSERT_TRUE(module.ok()) << module.error().ToString();
    auto inst = linker.Instantiate(store, *module);
    ASSERT_TRUE(inst.ok()) << inst.error().ToString();
    std::vector<uint64_t> bits;
    auto call = [&](const char* name, Value arg) {
      std::vector<Value> args = {arg};
      auto r = store.Call((*inst)->GetFunction(name), args);
      ASSERT_TRUE(r.ok()) << name << ": " << r.error().ToString();
      for (const Value& v : *r) bits.push_back(v.bits);
    };
    for (int64_t x : {0, 3, -9}) call("call40", Value::I64(x));
    for (int32_t x : {0, 1, 6, -7}) call("deep", Value::I32(x));
    for (int32_t x : {0, 1, 2, 3, 99}) call("switch", Value::I32(x));
    for (int32_t x : {0, 5}) call("params_in_loop", Value::I32(x));
    results.push_back(bits);
  }
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0], results[1]);
  // Spot checks against values worked out by hand: switch(0, 1, 2, 3, 99) = 100, -5, 7, 7, 99
  // (a jump table); params_in_loop(n) = (n, n + 1), through two swaps.
  ASSERT_EQ(results[0].size(), 3u + 4u + 5u + 4u);
  std::vector<uint64_t> tail(results[0].begin() + 7, results[0].end());
  EXPECT_EQ(tail, (std::vector<uint64_t>{100, 0xfffffffb, 7, 7, 99, 0, 1, 5, 6}));
}

constexpr const char* kMemory =
    R"((module (memory 1) (data (i32.const 0) "\01\00\00\00\02\00\00\00"))";

// gen_pathological.py's `live` and `locals` shapes in the text format: n values loaded and
// summed at the end; n locals each set to a load and summed.
std::string LiveValues(int n) {
  std::string wat = std::string(kMemory) + "(func (export \"run\") (param i32) (result i32)\n";
  for (int k = 0; k < n; ++k)
    wat += "(i32.load offset=" + std::to_string(k * 4 % 60000) + " (local.get 0))\n";
  for (int k = 1; k < n; ++k) wat += "i32.add\n";
  return wat + "))";
}

std::string ManyLocals(int n) {
  std::string wat = std::string(kMemory) + "(func (export \"run\") (param i32) (result i32)\n";
  for (int k = 1; k <= n; ++k) wat += "(local i32)";
  for (int k = 1; k <= n; ++k) {
    wat += "(local.set " + std::to_string(k) +
           " (i32.load offset=" + std::to_string(k * 4 % 60000) + " (local.get 0)))\n";
  }
  wat += "(local.get 1)\n";
  for (int k = 2; k <= n; ++k) wat += "(i32.add (local.get " + std::to_string(k) + "))\n";
  return wat + "))";
}

TEST_F(LargeFunctionTest, VirtualRegistersStayBoundedAsFunctionsGrow) {
  // Under the default limits: these functions are large (code bytes, locals) past n = 4000.
  for (auto shape : {LiveValues, ManyLocals}) {
    uint32_t regs_at_small = 0;
    for (int n : {4000, 16000}) {
      Engine engine;
      auto module = Module::Compile(engine, Wat2Wasm(shape(n)));
      ASSERT_TRUE(module.ok()) << module.error().ToString();
      uint32_t regs = (*module)->code().function(0).virt_regs;
      EXPECT_GT(regs, 0u) << "n = " << n << ": not compiled as a large function";
      // About kMaxRegisterValues plus a few temporaries, whatever n.
      EXPECT_LE(regs, 3 * jit::kMaxRegisterValues) << "n = " << n;
      if (n == 4000) regs_at_small = regs;
      if (n == 16000) {
        EXPECT_LE(regs, regs_at_small + 4);
      }
    }
  }
}

TEST_F(LargeFunctionTest, PathologicalShapesComputeTheirSums) {
  for (EngineOptions options : {EngineOptions{}, Large()}) {
    Engine engine(options);
    Store store(engine);
    Linker linker;
    for (auto shape : {LiveValues, ManyLocals}) {
      auto module = Module::Compile(engine, Wat2Wasm(shape(300)));
      ASSERT_TRUE(module.ok()) << module.error().ToString();
      auto inst = linker.Instantiate(store, *module);
      ASSERT_TRUE(inst.ok()) << inst.error().ToString();
      std::vector<Value> args = {Value::I32(0)};
      auto r = store.Call((*inst)->GetFunction("run"), args);
      ASSERT_TRUE(r.ok()) << r.error().ToString();
      EXPECT_EQ(r->front().i32(), shape == LiveValues ? 3u : 2u);  // the data segment's 1 and 2
    }
  }
}

TEST_F(LargeFunctionTest, ValuesLiveAroundALoopKeepTheirRegister) {
  // The loop's copy of the memory base is made before the loop and last read by the load at
  // its top; the 64-bit temporaries after that load must not share its register (compaction
  // extends it over the back edge). acc = 1 + 2 + 3 + 4; g = ((5*3 + 0)*3 + 4)*3 + 8)*3 + 12.
  std::vector<uint8_t> wasm = Wat2Wasm(R"((module
    (memory 1) (data (i32.const 0) "\01\00\00\00\02\00\00\00\03\00\00\00\04\00\00\00")
    (global $g (mut i64) (i64.const 5))
    (func (export "run") (result i64) (local $i i32) (local $acc i32)
      (loop $l
        (local.set $acc (i32.add (local.get $acc) (i32.load (local.get $i))))
        (global.set $g (i64.add (i64.mul (global.get $g) (i64.const 3)) (i64.extend_i32_u (local.get $i))))
        (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4))) (i32.const 16))))
      (i64.add (i64.extend_i32_u (local.get $acc)) (global.get $g))))
  )");
  for (EngineOptions options : {EngineOptions{}, Large()}) {
    Engine engine(options);
    Store store(engine);
    Linker linker;
    auto module = Module::Compile(engine, wasm);
    ASSERT_TRUE(module.ok()) << module.error().ToString();
    auto inst = linker.Instantiate(store, *module);
    ASSERT_TRUE(inst.ok()) << inst.error().ToString();
    std::vector<Value> none;
    auto r = store.Call((*inst)->GetFunction("run"), none);
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    EXPECT_EQ(r->front().i64(), 10u + 477u);
  }
}

TEST_F(LargeFunctionTest, EmptyFunctionsAreCalledAndReturn) {
  // Empty bodies (nops, then end) skip the Compiler (empty_function.h); any params.
  auto inst = Load(R"((module
    (func $a) (func $b (param i32 f64) nop nop) (func $c (param i64))
    (table 3 funcref) (elem (i32.const 0) $a $b $c)
    (type $t (func (param i32 f64)))
    (func (export "run") (param i32) (result i32)
      call $a (call $b (local.get 0) (f64.const 1.5)) (call $c (i64.const 3))
      (call_indirect (type $t) (local.get 0) (f64.const 2) (i32.const 1))
      (i32.add (local.get 0) (i32.const 1)))
  ))");
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(Bits(inst, "run", {Value::I32(41)}), 42u);
}

}  // namespace
}  // namespace wasmgrind::test
