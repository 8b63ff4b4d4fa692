// The JIT's invariant that an i32 in a 64-bit register has its upper half zero
// (function_compiler.h), on the paths that take an i32 from a 64-bit value. Each value below
// is an i64 whose upper half is not zero, wrapped where it dies, then used through every
// 64-bit consumer: a memory address, a call_indirect index, a br_table index, i64.extend_i32_u,
// f64.convert_i32_u; and carried there through block, if, loop, select, local.tee and call
// results. Before the fix the wrap compiled to a `mov r32, r32` that asmjit deleted, so
// `store_wrapped(-8)` wrote below linear memory and `load_wrapped(0x200010000)` read host
// memory. Every case runs with the run-time verifier off (release JIT code) and on.
#include "jit_test_util.h"

namespace wasmgrind::test {
namespace {

constexpr const char* kModule = R"(
  (module
    (memory 1)
    (type $t (func (result i32)))
    (table 4 funcref)
    (elem (i32.const 0) $f0 $f1)
    (data (i32.const 16) "\44\33\22\11\dd\cc\bb\aa")
    (data (i32.const 32) "\88\77\66\55")
    (func $f0 (result i32) (i32.const 100))
    (func $f1 (result i32) (i32.const 101))
    (func (export "store_wrapped") (param $off i64) (param $v i64)
      (i64.store (i32.wrap_i64 (i64.add (local.get $off) (i64.const 0))) (local.get $v)))
    (func (export "load_wrapped") (param $v i64) (result i32)
      (i32.load (i32.wrap_i64 (i64.add (local.get $v) (i64.const 0)))))
    (func (export "load64_wrapped") (param $v i64) (result i64)
      (i64.load (i32.wrap_i64 (i64.add (local.get $v) (i64.const 0)))))
    (func (export "via_block") (param $v i64) (result i32)
      (i32.load (block (result i32) (i32.wrap_i64 (i64.add (local.get $v) (i64.const 0))))))
    (func (export "via_if") (param $v i64) (param $c i32) (result i32)
      (i32.load (if (result i32) (local.get $c)
                  (then (i32.wrap_i64 (i64.xor (local.get $v) (i64.const 0))))
                  (else (i32.const 32)))))
    (func (export "via_select") (param $v i64) (param $c i32) (result i32)
      (i32.load (select (i32.wrap_i64 (i64.add (local.get $v) (i64.const 0)))
                        (i32.const 32) (local.get $c))))
    (func (export "via_tee") (param $v i64) (result i32) (local $a i32)
      (drop (i32.load (local.tee $a (i32.wrap_i64 (i64.add (local.get $v) (i64.const 0))))))
      (i32.load (local.get $a)))
    (func (export "via_loop") (param $v i64) (result i32) (local $i i32) (local $a i32)
      (loop $l
        (local.set $a (i32.wrap_i64 (i64.add (local.get $v) (i64.extend_i32_u (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br_if $l (i32.lt_u (local.get $i) (i32.const 16))))
      (i32.load (local.get $a)))
    (func $wrap (param $v i64) (result i32) (i32.wrap_i64 (i64.add (local.get $v) (i64.const 0))))
    (func (export "via_call") (param $v i64) (result i32) (i32.load (call $wrap (local.get $v))))
    (func (export "extend_u") (param $v i64) (result i64)
      (i64.extend_i32_u (i32.wrap_i64 (i64.add (local.get $v) (i64.const 0)))))
    (func (export "convert_u") (param $v i64) (result f64)
      (f64.convert_i32_u (i32.wrap_i64 (i64.add (local.get $v) (i64.const 0)))))
    (func (export "indirect") (param $v i64) (result i32)
      (call_indirect (type $t) (i32.wrap_i64 (i64.add (local.get $v) (i64.const 0)))))
    (func (export "br_table") (param $v i64) (result i32)
      (block (block (block (block
        (br_table 0 1 2 3 (i32.wrap_i64 (i64.add (local.get $v) (i64.const 0)))))
        (return (i32.const 10))) (return (i32.const 11))) (return (i32.const 12)))
      (i32.const 13))
    (func (export "grow_result_as_address") (result i32)
      (i32.load offset=15 (memory.grow (i32.const 0)))))
)";

constexpr uint64_t kHigh = 0xffffffff00000000ull;  // an upper half that must not survive

class I32UpperHalfTest : public testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (!HaveWat2Wasm()) GTEST_SKIP() << "wat2wasm is not installed";
    auto module = Module::Compile(engine_, Wat2Wasm(kModule));
    ASSERT_TRUE(module.ok()) << module.error().ToString();
    auto inst = linker_.Instantiate(store_, *module);
    ASSERT_TRUE(inst.ok()) << inst.error().ToString();
    inst_ = *inst;
  }

  Result<std::vector<Value>> Call(std::string_view name, std::vector<Value> args) {
    return store_.Call(inst_->GetFunction(name), args);
  }
  uint64_t Bits(std::string_view name, std::vector<Value> args) {
    auto r = Call(name, std::move(args));
    EXPECT_TRUE(r.ok()) << name << ": " << r.error().ToString();
    return r.ok() && !r->empty() ? r->front().bits : 0xdeadbeefdeadbeefull;
  }
  TrapKind TrapOf(std::string_view name, std::vector<Value> args) {
    auto r = Call(name, std::move(args));
    if (r.ok()) return TrapKind::None;
    EXPECT_EQ(r.error().kind, ErrorKind::Trap) << r.error().ToString();
    return r.error().trap;
  }

  static EngineOptions Options(bool verify) {
    EngineOptions options = TestEngineOptions();
    options.verify_jit_invariants = verify;
    return options;
  }

  Engine engine_{Options(GetParam())};
  Store store_{engine_};
  Linker linker_;
  Instance* inst_ = nullptr;
};

TEST_P(I32UpperHalfTest, WrappedAddressesStayInsideLinearMemory) {
  // -8 wraps to 0xfffffff8: out of bounds, not 8 bytes below the memory.
  EXPECT_EQ(TrapOf("store_wrapped", {Value::I64(static_cast<uint64_t>(-8)), Value::I64(1)}),
            TrapKind::MemoryOutOfBounds);
  // 0x200010000 wraps to 0x10000, just past the one page: out of bounds, not host memory.
  EXPECT_EQ(TrapOf("load_wrapped", {Value::I64(0x200010000ull)}), TrapKind::MemoryOutOfBounds);
  // quickjs-ng's pattern: a pointer with its sign in the upper half loads address 16.
  EXPECT_EQ(Bits("load_wrapped", {Value::I64(kHigh | 16)}), 0x11223344u);
  EXPECT_EQ(Bits("load64_wrapped", {Value::I64(kHigh | 16)}), 0xaabbccdd11223344ull);
  ASSERT_TRUE(Call("store_wrapped", {Value::I64(kHigh | 40), Value::I64(0x0102030405060708)}).ok());
  EXPECT_EQ(Bits("load64_wrapped", {Value::I64(40)}), 0x0102030405060708ull);
}

TEST_P(I32UpperHalfTest, WrappedValuesThroughBlocksLocalsAndCalls) {
  EXPECT_EQ(Bits("via_block", {Value::I64(kHigh | 16)}), 0x11223344u);
  EXPECT_EQ(Bits("via_if", {Value::I64(kHigh | 16), Value::I32(1)}), 0x11223344u);
  EXPECT_EQ(Bits("via_if", {Value::I64(kHigh | 16), Value::I32(0)}), 0x55667788u);
  EXPECT_EQ(Bits("via_select", {Value::I64(kHigh | 16), Value::I32(1)}), 0x11223344u);
  EXPECT_EQ(Bits("via_select", {Value::I64(kHigh | 16), Value::I32(0)}), 0x55667788u);
  EXPECT_EQ(Bits("via_tee", {Value::I64(kHigh | 16)}), 0x11223344u);
  EXPECT_EQ(Bits("via_loop", {Value::I64(kHigh | 4)}), 0x11223344u);  // the last store: 4 + 12
  EXPECT_EQ(Bits("via_call", {Value::I64(kHigh | 16)}), 0x11223344u);
  EXPECT_EQ(Bits("grow_result_as_address", {}), 0x11223344u);  // memory.grow's 1, offset 15
}

TEST_P(I32UpperHalfTest, WrappedValuesAsIndexesAndExtensions) {
  EXPECT_EQ(Bits("extend_u", {Value::I64(kHigh | 0x80000010)}), 0x80000010u);
  EXPECT_EQ(Bits("convert_u", {Value::I64(kHigh | 0x80000000)}), F64Bits(2147483648.0));
  EXPECT_EQ(Bits("indirect", {Value::I64(0x100000001ull)}), 101u);
  // 0x100000003 wraps to 3, an empty element; 0x100000004 to 4, past the table.
  EXPECT_EQ(TrapOf("indirect", {Value::I64(0x100000003ull)}), TrapKind::UninitializedElement);
  EXPECT_EQ(TrapOf("indirect", {Value::I64(0x100000004ull)}), TrapKind::UndefinedElement);
  EXPECT_EQ(Bits("br_table", {Value::I64(0x100000002ull)}), 12u);
  EXPECT_EQ(Bits("br_table", {Value::I64(kHigh | 7)}), 13u);  // the default
}

INSTANTIATE_TEST_SUITE_P(VerifierOffAndOn, I32UpperHalfTest, testing::Bool(),
                         [](const testing::TestParamInfo<bool>& info) {
                           return info.param ? "Verified" : "Release";
                         });

// The verifier catches a real violation: with the wrap compiled as nothing (what the deleted
// move amounted to), the load gets an i32 whose upper half is set, and JIT code stops with an
// internal error instead of touching memory outside the reservation.
TEST(I32UpperHalfVerifierDeathTest, AbortsOnAnUpperHalfReachingAnAddress) {
  if (!HaveWat2Wasm()) GTEST_SKIP() << "wat2wasm is not installed";
  EXPECT_DEATH(
      {
        EngineOptions options = TestEngineOptions();
        options.verify_jit_invariants = true;
        options.testing_unsafe_wrap = true;
        Engine engine(options);
        Store store(engine);
        Linker linker;
        auto module = Module::Compile(engine, Wat2Wasm(kModule));
        if (!module.ok()) std::exit(3);
        auto inst = linker.Instantiate(store, *module);
        if (!inst.ok()) std::exit(4);
        std::vector<Value> args = {Value::I64(kHigh | 16)};
        (void)store.Call((*inst)->GetFunction("load_wrapped"), args);
        std::exit(5);  // not reached: the verifier aborts
      },
      "internal error: JIT invariant violated in .* at wasm offset 0x[0-9a-f]+: an i32 with a "
      "non-zero upper half");
}

}  // namespace
}  // namespace wasmgrind::test
