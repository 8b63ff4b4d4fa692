// Uninitialised-value tracking in JIT code (EngineOptions::memcheck_values, jit/
// emit_value_shadows.cc): V bits flow through loads and stores, locals, globals, the operand
// stack, block and loop values, calls and returns and every operator rule of opcodes.def's
// Shadow column, and an undefined value is reported only where it decides something: a branch,
// an if, a br_table (Valgrind's "Conditional jump or move depends on uninitialised value(s)";
// a select is its conditional move, which passes the condition's state on), an address, a call_indirect index or a divisor ("Use of
// uninitialised value of size N"). Memory is made undefined with the checker's
// MakeMemUndefined, as VALGRIND_MAKE_MEM_UNDEFINED does; every case also checks the value the
// code computes, which tracking must never change.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "codegen/memcheck_report.h"
#include "common/wat2wasm.h"
#include "memcheck/memory_checker.h"
#include "memcheck/shadow_layout.h"
#include "vm/memcheck_calls.h"
#include "vm/jit/engine.h"
#include "vm/runtime/api.h"

namespace wasmgrind {
namespace {

using test::Wat2Wasm;

// The JIT's inline store path zeroes bytes it finds Defined or Undefined.
static_assert(memcheck::ToByte(memcheck::ShadowState::Undefined) == kMcShadowUndefined);
static_assert(memcheck::ToByte(memcheck::ShadowState::Defined) == 0);

constexpr const char* kCond = "Conditional jump or move depends on uninitialised value(s)";
constexpr const char* kValue4 = "Use of uninitialised value of size 4";
constexpr const char* kValue8 = "Use of uninitialised value of size 8";

class MemcheckValuesTest : public ::testing::Test {
 protected:
  explicit MemcheckValuesTest(bool origins = false)
      : engine_(
            EngineOptions{.memcheck = true, .memcheck_values = true, .memcheck_origins = origins}),
        store_(engine_) {
    store_.SetMemcheckFactory(report_.Factory([origins] {
      memcheck::MemcheckOptions options;
      options.track_definedness = true;
      options.track_origins = origins;
      return options;
    }));
  }

  // `body` goes into a module with one page of memory (bytes 0..15 undefined, the rest
  // defined zeros), an i32 global $g, a table of two functions returning 7 and 9, and an
  // exported function "run" of type (param i32) (result i32).
  void Load(const std::string& funcs) {
    std::string wat = R"((module
      (memory (export "memory") 1)
      (global $g (mut i32) (i32.const 0))
      (global $g64 (mut i64) (i64.const 0))
      (type $ret (func (result i32)))
      (table 2 funcref)
      (elem (i32.const 0) $seven $nine)
      (func $seven (result i32) (i32.const 7))
      (func $nine (result i32) (i32.const 9))
)" + funcs + ")";
    auto module = Module::Compile(engine_, Wat2Wasm(wat));
    ASSERT_TRUE(module.ok()) << module.error().ToString();
    Linker linker;
    auto instance = linker.Instantiate(store_, *module);
    ASSERT_TRUE(instance.ok()) << instance.error().ToString();
    instance_ = *instance;
    // The origin of the undefined bytes: a client request made in function 0.
    Store::MemcheckOf(*instance_)->MakeMemUndefined(0, 16, [] {
      return memcheck::Backtrace{memcheck::Frame{.function_index = 1, .offset = 0}};
    });
  }
  int32_t Run(int32_t arg = 0) {
    if (instance_ == nullptr) return -1;
    std::vector<Value> args = {Value::I32(static_cast<uint32_t>(arg))};
    auto r = store_.Call(instance_->GetFunction("run"), args);
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    if (!r.ok() || r->empty()) return -1;
    return static_cast<int32_t>(r->front().i32());
  }
  uint64_t Errors() {
    if (instance_ == nullptr) return ~uint64_t{0};
    return Store::MemcheckOf(*instance_)->errors().counts().errors;
  }
  std::string Report() { return report_.Text(); }
  void ExpectOne(const char* what) {
    EXPECT_EQ(Errors(), 1u) << Report();
    EXPECT_NE(Report().find(what), std::string::npos) << Report();
  }

  test::MemcheckReport report_;  // outlives the store, whose checkers write to it
  Engine engine_;
  Store store_;
  Instance* instance_ = nullptr;
};

// `(i32.load (i32.const 0))` is undefined; 64 holds a defined 0.
TEST_F(MemcheckValuesTest, BranchOnAnUndefinedLoadIsReported) {
  Load(R"((func (export "run") (param i32) (result i32)
    (if (result i32) (i32.load (i32.const 0)) (then (i32.const 1)) (else (i32.const 2)))))");
  EXPECT_EQ(Run(), 2);  // undefined bytes read as their (zero) contents
  ExpectOne(kCond);
}

TEST_F(MemcheckValuesTest, DefinedLoadsAndCopiesAreSilent) {
  // Copying undefined bytes (a struct with padding) and branching on defined ones is fine.
  Load(R"((func (export "run") (param i32) (result i32)
    (i64.store (i32.const 32) (i64.load (i32.const 0)))
    (i32.store8 (i32.const 40) (i32.load8_u (i32.const 1)))
    (if (result i32) (i32.load (i32.const 64)) (then (i32.const 1)) (else (i32.const 2)))))");
  EXPECT_EQ(Run(), 2);
  EXPECT_EQ(Errors(), 0u) << Report();
}

TEST_F(MemcheckValuesTest, UndefinednessTravelsThroughMemory) {
  Load(R"((func (export "run") (param i32) (result i32)
    (i32.store (i32.const 32) (i32.load (i32.const 0)))
    (drop (br_if 0 (i32.const 5) (i32.load (i32.const 32))))
    (i32.const 6)))");
  EXPECT_EQ(Run(), 6);
  ExpectOne(kCond);
}

TEST_F(MemcheckValuesTest, StoringADefinedValueDefinesTheBytes) {
  Load(R"((func (export "run") (param i32) (result i32)
    (i32.store (i32.const 0) (i32.const 3))
    (if (result i32) (i32.load (i32.const 0)) (then (i32.const 1)) (else (i32.const 2)))))");
  EXPECT_EQ(Run(), 1);
  EXPECT_EQ(Errors(), 0u) << Report();
}

TEST_F(MemcheckValuesTest, AndWithZeroAndOrWithOnesAreDefined) {
  Load(R"((func (export "run") (param i32) (result i32)
    (drop (br_if 0 (i32.const 1) (i32.and (i32.load (i32.const 0)) (i32.const 0))))
    (drop (br_if 0 (i32.const 2) (i32.eqz (i32.or (i32.load (i32.const 0)) (i32.const -1)))))
    (drop (br_if 0 (i32.const 3)
      (i32.eqz (i64.eqz (i64.and (i64.load (i32.const 0)) (i64.extend_i32_u (local.get 0)))))))
    (i32.const 4)))");
  EXPECT_EQ(Run(0), 4);
  EXPECT_EQ(Errors(), 0u) << Report();
}

TEST_F(MemcheckValuesTest, ShiftsMoveTheUndefinedBits) {
  // The undefined byte shifted out of the low byte, then masked off: defined. Shifted by an
  // undefined amount: everything undefined.
  Load(R"((func (export "run") (param i32) (result i32)
    (i32.store (i32.const 64) (i32.load8_u (i32.const 0)))
    (drop (br_if 0 (i32.const 1) (i32.and (i32.shl (i32.load (i32.const 64)) (i32.const 8)) (i32.const 0xff))))
    (drop (br_if 0 (i32.const 2) (i32.shl (i32.const 1) (i32.load8_u (i32.const 0)))))
    (i32.const 3)))");
  EXPECT_EQ(Run(), 2);
  ExpectOne(kCond);
}

TEST_F(MemcheckValuesTest, BitFieldReadModifyWriteKeepsDefinedBits) {
  // A bit-field store: the low 3 bits of an undefined byte are set, the others kept; reading
  // the field back (and 7) depends on defined bits only.
  Load(R"((func (export "run") (param i32) (result i32)
    (i32.store8 (i32.const 2)
      (i32.or (i32.and (i32.load8_u (i32.const 2)) (i32.const 0xf8)) (i32.const 5)))
    (if (result i32) (i32.eq (i32.and (i32.load8_u (i32.const 2)) (i32.const 7)) (i32.const 5))
      (then (i32.const 1)) (else (i32.const 0)))
    (br_if 0 (i32.and (i32.load8_u (i32.const 2)) (i32.const 8)))
    drop (i32.const 9)))");
  EXPECT_EQ(Run(), 9);
  ExpectOne(kCond);  // only the last br_if tests an undefined bit (bit 3)
}

TEST_F(MemcheckValuesTest, AddCarriesUndefinednessUpwards) {
  Load(R"((func (export "run") (param i32) (result i32)
    (i32.store (i32.const 64) (i32.load8_u (i32.const 0)))
    (drop (br_if 0 (i32.const 1)
      (i32.and (i32.add (i32.load (i32.const 64)) (i32.const 1)) (i32.const 0xff00))))
    (i32.const 2)))");
  EXPECT_EQ(Run(), 2);
  ExpectOne(kCond);
}

TEST_F(MemcheckValuesTest, AddsOfAnAddKeepCarryingUpwards) {
  // Byte 1 undefined (bits 8-15): the first add smears them to bits 8-31, which the adds
  // after it keep (their operands are closed: no smear compiled), so bit 16 is undefined.
  Load(R"((func (export "run") (param i32) (result i32) (local $x i32) (local $i i32)
    (i32.store8 (i32.const 64) (i32.const 1))
    (i32.store8 (i32.const 65) (i32.load8_u (i32.const 0)))
    (local.set $x (i32.add (i32.load (i32.const 64)) (i32.const 0)))
    (loop $l
      (local.set $x (i32.add (local.get $x) (i32.const 2)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 3))))
    (drop (br_if 0 (i32.const 1) (i32.and (local.get $x) (i32.const 0x80))))
    (drop (br_if 0 (i32.const 2) (i32.and (local.get $x) (i32.const 0x10000))))
    (i32.const 3)))");
  EXPECT_EQ(Run(), 3);
  ExpectOne(kCond);  // the second br_if: the low byte stays defined
}

TEST_F(MemcheckValuesTest, PendingSmearsAreCompletedWhereExactBitsMatter) {
  // An add's smear (x | -x) is computed only where exact bits are needed (pending_): here
  // byte 1 is undefined, so after the add bits 8-31 are. A local.set moves the pending smear
  // into the local; the store's slow path, an and, and an address each see it.
  Load(R"((func (export "run") (param i32) (result i32) (local $x i32) (local $y i32)
    (i32.store8 (i32.const 64) (i32.const 1))
    (i32.store8 (i32.const 65) (i32.load8_u (i32.const 0)))
    (local.set $x (i32.add (i32.load (i32.const 64)) (local.get 0)))
    (local.set $y (local.get $x))
    (i32.store (i32.const 80) (local.get $x))
    (drop (br_if 0 (i32.const 1) (i32.load8_u (i32.const 83))))
    (drop (br_if 0 (i32.const 2) (i32.and (local.get $y) (i32.const 0x80))))
    (drop (br_if 0 (i32.const 3) (i32.and (local.get $y) (i32.const 0x1000000))))
    (drop (i32.load (local.get $x)))
    (i32.const 4)))");
  EXPECT_EQ(Run(), 4);
  EXPECT_EQ(Errors(), 3u) << Report();  // byte 83, bit 24 and the address; bit 7 is defined
  EXPECT_NE(Report().find(kValue4), std::string::npos) << Report();
}

TEST_F(MemcheckValuesTest, AndAndOrOfTwoPartlyUndefinedValuesAreExact) {
  // x = 0x00??f0 (byte 1 undefined), y = 0x??0f?? (bytes 0 and 2 undefined). x & y is
  // undefined where one is undefined and the other may be 1: bits 4-7 and 8-11. x | y where
  // one is undefined and neither is a defined 1: bits 0-3, 12-15 and 16-23.
  Load(R"((func (export "run") (param i32) (result i32) (local $x i32) (local $y i32)
    (i32.store (i32.const 64) (i32.const 0xf0))
    (i32.store8 (i32.const 65) (i32.load8_u (i32.const 0)))
    (i32.store (i32.const 68) (i32.const 0x0f00))
    (i32.store8 (i32.const 68) (i32.load8_u (i32.const 1)))
    (i32.store8 (i32.const 70) (i32.load8_u (i32.const 2)))
    (local.set $x (i32.load (i32.const 64)))
    (local.set $y (i32.load (i32.const 68)))
    (if (i32.and (i32.and (local.get $x) (local.get $y)) (i32.const 0x0f)) (then (nop)))
    (if (i32.and (i32.and (local.get $x) (local.get $y)) (i32.const 0x10)) (then (nop)))
    (if (i32.and (i32.and (local.get $x) (local.get $y)) (i32.const 0x100)) (then (nop)))
    (if (i32.and (i32.and (local.get $x) (local.get $y)) (i32.const 0xf000)) (then (nop)))
    (if (i32.and (i32.and (local.get $x) (local.get $y)) (i32.const 0xff0000)) (then (nop)))
    (if (i32.and (i32.or (local.get $x) (local.get $y)) (i32.const 0x1)) (then (nop)))
    (if (i32.and (i32.or (local.get $x) (local.get $y)) (i32.const 0xf0)) (then (nop)))
    (if (i32.and (i32.or (local.get $x) (local.get $y)) (i32.const 0x100)) (then (nop)))
    (if (i32.and (i32.or (local.get $x) (local.get $y)) (i32.const 0x1000)) (then (nop)))
    (if (i32.and (i32.or (local.get $x) (local.get $y)) (i32.const 0x10000)) (then (nop)))
    (if (i32.and (i32.or (local.get $x) (local.get $y)) (i32.const 0xff000000)) (then (nop)))
    (if (i64.ne (i64.and (i64.and (i64.extend_i32_u (local.get $x)) (i64.extend_i32_u (local.get $y)))
                         (i64.const 0xffffffff0000000f)) (i64.const 0)) (then (nop)))
    (if (i64.ne (i64.and (i64.or (i64.extend_i32_u (local.get $x)) (i64.extend_i32_u (local.get $y)))
                         (i64.const 0x1000)) (i64.const 0)) (then (nop)))
    (i32.const 1)))");
  EXPECT_EQ(Run(), 1);
  EXPECT_EQ(Errors(), 6u) << Report();  // and: 0x10, 0x100; or: 0x1, 0x1000, 0x10000; i64 or
}

TEST_F(MemcheckValuesTest, AnAddOfAConstantSharesItsOperandsBitsUntilTheLocalChanges) {
  // Byte 1 of $x undefined (bits 8-15, not upward closed); $y = $x + 16 has bits 8-31.
  // `$y + 16` has $y's bits as they are (closed: no smear) and keeps them after $y is
  // overwritten with a defined value while the sum waits on the stack. `$x + 0` smears $x's
  // (bit 7 stays defined); `$x ^ 0` is $x's bits.
  Load(R"((func (export "run") (param i32) (result i32) (local $x i32) (local $y i32)
    (i32.store8 (i32.const 64) (i32.const 1))
    (i32.store8 (i32.const 65) (i32.load8_u (i32.const 0)))
    (local.set $x (i32.load (i32.const 64)))
    (local.set $y (i32.add (local.get $x) (i32.const 16)))
    (drop (br_if 0 (i32.const 1)
      (i32.and (i32.add (local.get $y) (i32.const 16)) (local.tee $y (i32.const 0x10000)))))
    (drop (br_if 0 (i32.const 2) (i32.and (local.get $y) (i32.const 0xff00))))
    (drop (br_if 0 (i32.const 3) (i32.and (i32.add (local.get $x) (i32.const 0)) (i32.const 0x80))))
    (drop (br_if 0 (i32.const 4) (i32.and (i32.xor (local.get $x) (i32.const 0)) (i32.const 0x100))))
    (i32.const 5)))");
  EXPECT_EQ(Run(), 5);
  EXPECT_EQ(Errors(), 2u) << Report();  // bit 16 of the sum, bit 8 of the xor
}

TEST_F(MemcheckValuesTest, APointerSteppedInALoopSmearsItsBitsOnce) {
  // Bit 8 of $p undefined: the first `$p + 4` smears it to bits 8-31, the loop's later adds
  // keep that (`local.set` of `$p + 4` back into $p).
  Load(R"((func (export "run") (param i32) (result i32) (local $p i32) (local $i i32)
    (i32.store (i32.const 64) (i32.const 32))
    (i32.store8 (i32.const 65) (i32.and (i32.load8_u (i32.const 0)) (i32.const 1)))
    (local.set $p (i32.load (i32.const 64)))
    (loop $l
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 3))))
    (drop (br_if 0 (i32.const 1) (i32.and (local.get $p) (i32.const 0x3))))
    (drop (br_if 0 (i32.const 2) (i32.and (local.get $p) (i32.const 0x80000000))))
    (i32.const 3)))");
  EXPECT_EQ(Run(), 3);
  ExpectOne(kCond);  // bit 31, not bits 0-1
}

TEST_F(MemcheckValuesTest, AnOperationOfAValueWithItselfHasItsBits) {
  // $x: byte 1 undefined (bits 8-15). x ^ x and x + x (not closed: smeared) as Valgrind
  // computes them from Vx | Vx; x * x in floats is all undefined.
  Load(R"((func (export "run") (param i32) (result i32) (local $x i32) (local $f f64)
    (i32.store8 (i32.const 64) (i32.const 1))
    (i32.store8 (i32.const 65) (i32.load8_u (i32.const 0)))
    (local.set $x (i32.load (i32.const 64)))
    (if (i32.and (i32.xor (local.get $x) (local.get $x)) (i32.const 0x100)) (then (nop)))
    (if (i32.and (i32.xor (local.get $x) (local.get $x)) (i32.const 0x10000)) (then (nop)))
    (if (i32.and (i32.add (local.get $x) (local.get $x)) (i32.const 0x10000)) (then (nop)))
    (if (i32.and (i32.add (local.get $x) (local.get $x)) (i32.const 0x80)) (then (nop)))
    (local.set $f (f64.load (i32.const 64)))
    (if (i64.ne (i64.and (i64.reinterpret_f64 (f64.mul (local.get $f) (local.get $f)))
                         (i64.const 1)) (i64.const 0)) (then (nop)))
    (i32.const 1)))");
  EXPECT_EQ(Run(), 1);
  EXPECT_EQ(Errors(), 3u) << Report();  // xor bit 8, add bit 16, the product's bit 0
}

TEST_F(MemcheckValuesTest, ALoadIntoALocalKeepsTheLocalsOldBitsWhereTheyAreStillUsed) {
  // A load followed by local.set/tee writes its V bits straight into the local's shadow: an
  // operand still holding the old (undefined) $p keeps them, and p = *p follows the chain.
  Load(R"((func (export "run") (param i32) (result i32) (local $p i32)
    (i32.store (i32.const 64) (i32.const 72))
    (i32.store (i32.const 72) (i32.const 0))
    (local.set $p (i32.load (i32.const 0)))
    (if (i32.add (local.get $p) (local.tee $p (i32.load (i32.const 64)))) (then (nop)))
    (if (local.get $p) (then (nop)))
    (local.set $p (i32.load (local.get $p)))
    (if (local.get $p) (then (nop)))
    (local.set $p (i32.load (local.get $p)))
    (if (local.get $p) (then (nop)))
    (i32.const 1)))");
  EXPECT_EQ(Run(), 1);
  EXPECT_EQ(Errors(), 2u) << Report();  // the old $p in the add, and *0
}

TEST_F(MemcheckValuesTest, AResultSetIntoALocalKeepsTheLocalsOldBitsWhereTheyAreStillUsed) {
  // y << 1 set into $x goes straight into $x's shadow (bits 9-16): the old $x (all
  // undefined) still waiting on the stack keeps its bits, and x = x << 1 reads x's first.
  Load(R"((func (export "run") (param i32) (result i32) (local $x i32) (local $y i32)
    (i32.store (i32.const 64) (i32.const 0))
    (i32.store8 (i32.const 65) (i32.load8_u (i32.const 0)))
    (local.set $x (i32.load (i32.const 0)))
    (local.set $y (i32.load (i32.const 64)))
    (if (i32.and (i32.add (local.get $x) (local.tee $x (i32.shl (local.get $y) (i32.const 1))))
                 (i32.const 1)) (then (nop)))
    (if (i32.and (local.get $x) (i32.const 0x100)) (then (nop)))
    (if (i32.and (local.get $x) (i32.const 0x200)) (then (nop)))
    (local.set $x (i32.shl (local.get $x) (i32.const 1)))
    (if (i32.and (local.get $x) (i32.const 0x200)) (then (nop)))
    (if (i32.and (local.get $x) (i32.const 0x400)) (then (nop)))
    (i32.const 1)))");
  EXPECT_EQ(Run(), 1);
  EXPECT_EQ(Errors(), 3u) << Report();  // bit 0 of the add, bit 9, then bit 10
}

TEST_F(MemcheckValuesTest, ALoopsBackEdgeLeavesASmearPendingOnlyInALocalItOverwrites) {
  // $x = load + param each iteration: bits 8-15 undefined, smeared to 8-31 (pending). The
  // body writes $x first, so the back edge leaves the smear pending; after the loop it is
  // completed (bit 16 undefined, bit 7 defined).
  Load(R"((func (export "run") (param i32) (result i32) (local $x i32) (local $i i32)
    (i32.store8 (i32.const 64) (i32.const 1))
    (i32.store8 (i32.const 65) (i32.load8_u (i32.const 0)))
    (loop $l
      (local.set $x (i32.add (i32.load (i32.const 64)) (local.get 0)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 3))))
    (if (i32.and (local.get $x) (i32.const 0x80)) (then (nop)))
    (if (i32.and (local.get $x) (i32.const 0x10000)) (then (nop)))
    (i32.const 1)))");
  EXPECT_EQ(Run(), 1);
  ExpectOne(kCond);
}

TEST_F(MemcheckValuesTest, ALoopLeftBeforeItsLocalIsWrittenCompletesItsSmear) {
  // The same $x, but the body may leave the loop (to $done) before writing it: there the
  // value of the previous iteration is read, which must be completed (bit 16 undefined).
  Load(R"((func (export "run") (param i32) (result i32) (local $x i32) (local $i i32)
    (i32.store8 (i32.const 64) (i32.const 1))
    (i32.store8 (i32.const 65) (i32.load8_u (i32.const 0)))
    (block $done
      (loop $l
        (br_if $done (i32.eq (local.get $i) (i32.const 3)))
        (local.set $x (i32.add (i32.load (i32.const 64)) (local.get 0)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (if (i32.and (local.get $x) (i32.const 0x80)) (then (nop)))
    (if (i32.and (local.get $x) (i32.const 0x10000)) (then (nop)))
    (i32.const 1)))");
  EXPECT_EQ(Run(), 1);
  ExpectOne(kCond);
}

TEST_F(MemcheckValuesTest, LoadedBitsJoinAnAccumulatorInALoop) {
  // acc ^= load(p) for p = 48, 32, 16, 0: only the last load (bytes 0-3) is undefined, and
  // only the branch after the loop sees it; the defined loads before leave acc defined.
  Load(R"((func (export "run") (param i32) (result i32) (local $p i32) (local $acc i32)
    (local.set $p (i32.const 64))
    (loop $l
      (local.set $p (i32.sub (local.get $p) (i32.const 16)))
      (local.set $acc (i32.xor (local.get $acc) (i32.load (local.get $p))))
      (if (i32.and (local.get $acc) (i32.const 0)) (then (nop)))
      (br_if $l (local.get $p)))
    (drop (br_if 0 (i32.const 1) (i32.and (local.get $acc) (i32.const 0x100))))
    (i32.const 2)))");
  EXPECT_EQ(Run(), 2);
  ExpectOne(kCond);
}

TEST_F(MemcheckValuesTest, FloatArithmeticMakesEveryBitUndefined) {
  // One undefined byte in a double: after float arithmetic every bit is undefined, in memory
  // (the top byte of the stored result) and in a register (the reinterpreted top byte). The
  // approximations of a chain are computed once, at the end (pending_).
  Load(R"((func (export "run") (param i32) (result i32)
    (f64.store (i32.const 64) (f64.const 1.5))
    (i32.store8 (i32.const 64) (i32.load8_u (i32.const 0)))
    (f64.store (i32.const 80)
      (f64.mul (f64.add (f64.load (i32.const 64)) (f64.const 1)) (f64.const 2)))
    (drop (br_if 0 (i32.const 1) (i32.eqz (i32.load8_u (i32.const 87)))))
    (drop (br_if 0 (i32.const 2) (i64.eqz (i64.shr_u (i64.reinterpret_f64
      (f64.sub (f64.load (i32.const 64)) (f64.const 0.5))) (i64.const 56)))))
    (i32.const 3)))");
  EXPECT_EQ(Run(), 3);
  EXPECT_EQ(Errors(), 2u) << Report();
}

TEST_F(MemcheckValuesTest, WrapDropsUndefinedHighBits) {
  // An i64 whose high half is undefined, wrapped to i32: defined.
  Load(R"((func (export "run") (param i32) (result i32)
    (i32.store (i32.const 64) (i32.const 1))
    (i32.store (i32.const 68) (i32.load (i32.const 0)))
    (if (result i32) (i32.wrap_i64 (i64.load (i32.const 64))) (then (i32.const 1)) (else (i32.const 2)))))");
  EXPECT_EQ(Run(), 1);
  EXPECT_EQ(Errors(), 0u) << Report();
}

TEST_F(MemcheckValuesTest, LocalsGlobalsAndSelect) {
  // A select on an undefined condition is Valgrind's conditional move: its result is
  // undefined, and only the branch on it is reported.
  Load(R"((func (export "run") (param i32) (result i32) (local $x i32)
    (local.set $x (i32.load (i32.const 0)))
    (global.set $g (local.get $x))
    (local.set $x (i32.const 0))
    (drop (br_if 0 (i32.const 1) (local.get $x)))
    (local.set $x (select (i32.const 2) (i32.const 3) (global.get $g)))
    (drop (br_if 0 (i32.const 4) (i32.eq (local.get $x) (i32.const 7))))
    (local.get $x)))");
  EXPECT_EQ(Run(), 3);
  ExpectOne(kCond);  // the br_if on the select's result
}

TEST_F(MemcheckValuesTest, SelectPassesTheChosenValuesBits) {
  Load(R"((func (export "run") (param i32) (result i32)
    (drop (br_if 0 (i32.const 1) (select (i32.const 0) (i32.load (i32.const 0)) (local.get 0))))
    (drop (br_if 0 (i32.const 2) (select (i32.const 0) (i32.load (i32.const 0)) (i32.eqz (local.get 0)))))
    (i32.const 3)))");
  EXPECT_EQ(Run(1), 3);
  ExpectOne(kCond);  // only the second select picks the undefined value
}

TEST_F(MemcheckValuesTest, CallsPassParamsAndResults) {
  Load(R"(
    (func $id (param i32) (result i32) (local.get 0))
    (func $test (param i32) (result i32) (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2))))
    (func (export "run") (param i32) (result i32)
      (drop (call $test (i32.const 0)))
      (call $test (call $id (i32.load (i32.const 0))))))");
  EXPECT_EQ(Run(), 2);
  ExpectOne(kCond);
}

TEST_F(MemcheckValuesTest, BlockAndLoopValuesCarryTheirBits) {
  Load(R"((func (export "run") (param i32) (result i32) (local $i i32)
    (drop (br_if 0 (i32.const 1)
      (block (result i32) (br_if 0 (i32.load (i32.const 0)) (local.get 0)) (drop) (i32.const 0))))
    (local.set $i
      (loop $l (result i32)
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (i32.const 3)))
        (i32.load8_u (i32.const 1))))
    (drop (br_if 0 (i32.const 2) (local.get $i)))
    (i32.const 3)))");
  EXPECT_EQ(Run(1), 3);
  // Both the block's value (the undefined load, branched with) and the loop's are tested.
  EXPECT_EQ(Errors(), 2u) << Report();
}

// Constructs with results whose end no path reaches (the compiler drops their values there):
// a loop left only by return, a block whose body ends in unreachable, an if/else with both
// arms dead. Found by csmith (seed 41 at -O2: `loop (result i32)` ending in `br 0`), which
// the V-bit walk refused as out of step with the compiler.
TEST_F(MemcheckValuesTest, ValuedConstructsWithADeadEndCompile) {
  Load(R"((func $loop (param i32) (result i32) (local $i i32)
      (loop $l (result i32)
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (if (i32.gt_u (local.get $i) (local.get 0)) (then (return (local.get $i))))
        (br $l)))
    (func $block (param i32) (result i32)
      (if (local.get 0) (then (return (i32.const 5))))
      (block (result i32) (unreachable)))
    (func $if_else (param i32) (result i32)
      (if (local.get 0) (then (return (i32.const 6))))
      (if (result i32) (i32.load (i32.const 64)) (then (unreachable)) (else (unreachable))))
    (func (export "run") (param i32) (result i32)
      (i32.add (call $loop (local.get 0))
               (i32.add (call $block (i32.const 1)) (call $if_else (i32.const 1))))))");
  EXPECT_EQ(Run(3), 4 + 5 + 6);
  EXPECT_EQ(Errors(), 0u) << Report();
}

// Locals are found defined per read (jit/defined_values.h): a local that holds a defined
// value at one read and an undefined one at another must still be checked at the second.
TEST_F(MemcheckValuesTest, ALocalUndefinedOnlyFromTheSecondIterationIsReportedThen) {
  Load(R"((func (export "run") (param i32) (result i32) (local $x i32) (local $i i32)
    (loop $l
      (if (local.get $x) (then (local.set $i (i32.const 10))))
      (local.set $x (i32.load (i32.const 0)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 2))))
    (local.get $i)))");
  EXPECT_EQ(Run(), 2);
  ExpectOne(kCond);  // the if of the second iteration
}

TEST_F(MemcheckValuesTest, AParamReusedForADefinedValueIsCheckedOnlyBefore) {
  Load(R"(
    (func $f (param i32) (result i32)
      (if (local.get 0) (then (nop)))
      (local.set 0 (i32.const 4))
      (if (local.get 0) (then (nop)))
      (local.get 0))
    (func (export "run") (param i32) (result i32) (call $f (i32.load (i32.const 0)))))");
  EXPECT_EQ(Run(), 4);
  ExpectOne(kCond);
}

TEST_F(MemcheckValuesTest, AddressIndexAndDivisorUses) {
  Load(R"((func (export "run") (param i32) (result i32)
    (drop (i32.load (i32.and (i32.load (i32.const 0)) (i32.const 0xf0))))
    (drop (call_indirect (type $ret) (i32.and (i32.load (i32.const 4)) (i32.const 1))))
    (drop (i32.div_u (i32.const 10) (i32.or (i32.load (i32.const 8)) (i32.const 1))))
    (i64.div_s (i64.const 10) (i64.or (i64.load (i32.const 8)) (i64.const 1)))
    (i32.wrap_i64)))");
  EXPECT_EQ(Run(), 10);
  EXPECT_EQ(Errors(), 4u) << Report();
  std::string report = Report();
  EXPECT_NE(report.find(kValue4), std::string::npos) << report;
  EXPECT_NE(report.find(kValue8), std::string::npos) << report;
  EXPECT_EQ(report.find(kCond), std::string::npos) << report;
}

TEST_F(MemcheckValuesTest, BrTableIndexIsACondition) {
  Load(R"((func (export "run") (param i32) (result i32)
    (block (block (br_table 0 1 (i32.and (i32.load (i32.const 0)) (i32.const 1)))) (return (i32.const 1)))
    (i32.const 2)))");
  EXPECT_EQ(Run(), 1);
  ExpectOne(kCond);
}

TEST_F(MemcheckValuesTest, FloatsAndConversionsPropagate) {
  Load(R"((func (export "run") (param i32) (result i32)
    (drop (br_if 0 (i32.const 1)
      (f64.gt (f64.add (f64.convert_i32_u (i32.load (i32.const 0))) (f64.const 1)) (f64.const 1e300))))
    (drop (br_if 0 (i32.const 2) (i32.reinterpret_f32 (f32.load (i32.const 64)))))
    (i32.const 3)))");
  EXPECT_EQ(Run(), 3);
  ExpectOne(kCond);
}

// --track-origins=yes: the report names where the undefined bits were created, through
// memory, locals, globals, calls and arithmetic. MakeMemUndefined is a client request's origin.
class MemcheckOriginsTest : public MemcheckValuesTest {
 protected:
  MemcheckOriginsTest() : MemcheckValuesTest(/*origins=*/true) {}
};

constexpr const char* kCreatedByClient = "Uninitialised value was created by a client request";

TEST_F(MemcheckOriginsTest, OriginFollowsTheValue) {
  Load(R"(
    (func $id (param i64) (result i64) (local.get 0))
    (func (export "run") (param i32) (result i32) (local $x i64)
      (i64.store (i32.const 64) (i64.add (i64.load (i32.const 0)) (i64.const 1)))
      (global.set $g64 (call $id (i64.load (i32.const 64))))
      (local.set $x (i64.mul (global.get $g64) (i64.const 3)))
      (if (result i32) (i64.eqz (local.get $x)) (then (i32.const 1)) (else (i32.const 2)))))");
  EXPECT_EQ(Run(), 2);
  ExpectOne(kCond);
  EXPECT_NE(Report().find(kCreatedByClient), std::string::npos) << Report();
}

TEST_F(MemcheckOriginsTest, DefinedValuesHaveNoOrigin) {
  Load(R"((func (export "run") (param i32) (result i32)
    (i32.store (i32.const 64) (i32.add (i32.load (i32.const 64)) (i32.load (i32.const 0))))
    (if (result i32) (i32.load (i32.const 64)) (then (i32.const 1)) (else (i32.const 2)))))");
  EXPECT_EQ(Run(), 2);
  ExpectOne(kCond);
  EXPECT_NE(Report().find(kCreatedByClient), std::string::npos) << Report();
}

}  // namespace
}  // namespace wasmgrind
