// FindDefinedValues (jit/defined_values.h): which local.gets read a value defined by
// construction. A get wrongly found defined would hide an uninitialised value from the
// checker, so most cases here are the edges that must make a local undefined again: a loop's
// back edge, one arm of an if, a branch out of a block, a param's first value.
#include "vm/jit/defined_values.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/wat2wasm.h"
#include "vm/decode/decode_function.h"
#include "vm/decode/module_decoder.h"

namespace wasmgrind::jit {
namespace {

// The module offsets of a function's local.gets, in body order.
struct LocalGets {
  std::vector<uint32_t> offsets;
  Result<void> OnInstr(const Instr& instr, const FunctionValidator&) {
    if (instr.op == Opcode::LocalGet) offsets.push_back(instr.offset);
    return Ok();
  }
};

class DefinedValuesTest : public ::testing::Test {
 protected:
  // For each local.get of the module's last function, in order: found defined?
  std::vector<bool> DefinedGets(const std::string& funcs) {
    auto info = DecodeModule(test::Wat2Wasm("(module (memory 1) " + funcs + ")", /*names=*/true));
    EXPECT_TRUE(info.ok()) << info.error().ToString();
    if (!info.ok()) return {};
    module_ = std::move(info).value();
    const auto last = static_cast<uint32_t>(module_.codes.size() - 1);
    LocalGets gets;
    EXPECT_TRUE(DecodeFunction(module_, last, gets).ok());
    result_ = FindDefinedValues(module_, last, std::nullopt);
    std::vector<bool> defined;
    for (uint32_t offset : gets.offsets) defined.push_back(result_.IsDefinedGet(offset));
    return defined;
  }

  ModuleInfo module_;
  DefinedValues result_;
};

using Gets = std::vector<bool>;

TEST_F(DefinedValuesTest, AParamIsUndefinedUntilWrittenWithADefinedValue) {
  EXPECT_EQ(DefinedGets(R"((func (param i32) (result i32)
      (drop (local.get 0))
      (local.set 0 (i32.const 5))
      (local.get 0)))"),
            (Gets{false, true}));
  EXPECT_TRUE(result_.needs_shadow[0]);  // its first get reads the caller's V bits
}

TEST_F(DefinedValuesTest, ADeclaredLocalIsDefinedUntilALoadIsStoredInIt) {
  EXPECT_EQ(DefinedGets(R"((func (result i32) (local i32)
      (drop (local.get 0))
      (local.set 0 (i32.load (i32.const 0)))
      (drop (local.get 0))
      (local.set 0 (i32.add (i32.const 1) (i32.const 2)))
      (local.get 0)))"),
            (Gets{true, false, true}));
}

TEST_F(DefinedValuesTest, ALoopCounterStaysDefined) {
  EXPECT_EQ(DefinedGets(R"((func (local $i i32)
      (loop $l
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (i32.const 10))))))"),
            (Gets{true, true}));
  EXPECT_FALSE(result_.needs_shadow[0]);
}

TEST_F(DefinedValuesTest, ALoopsBackEdgeBringsWhatItsBodyStored) {
  // Defined on entry, undefined from the second iteration on: the header must say so, and so
  // must a get before the store in the body.
  EXPECT_EQ(DefinedGets(R"((func (local $x i32) (local $i i32)
      (loop $l
        (drop (local.get $x))
        (local.set $x (i32.load (i32.const 0)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (local.get $i)))
      (drop (local.get $x))))"),
            (Gets{false, true, true, false}));
}

TEST_F(DefinedValuesTest, AnUndefinedValueThroughAChainOfLocalsAroundALoop) {
  // $a is undefined only after $b was, one iteration later: the fixpoint needs two rounds.
  EXPECT_EQ(DefinedGets(R"((func (local $a i32) (local $b i32) (local $i i32)
      (loop $l
        (local.set $a (local.get $b))
        (local.set $b (i32.load (i32.const 0)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (local.get $i)))
      (drop (local.get $a))))"),
            (Gets{false, true, true, false}));
}

TEST_F(DefinedValuesTest, OneArmOfAnIfMakesTheLocalUndefinedAfterIt) {
  EXPECT_EQ(DefinedGets(R"((func (param i32) (local $x i32)
      (if (local.get 0) (then (local.set $x (i32.load (i32.const 0)))))
      (drop (local.get $x))
      (if (local.get 0)
        (then (local.set $x (i32.const 1)))
        (else (local.set $x (i32.const 2))))
      (drop (local.get $x))
      (if (local.get 0)
        (then (local.set $x (i32.const 1)))
        (else (local.set $x (i32.load (i32.const 0)))))
      (drop (local.get $x))))"),
            (Gets{false, false, false, true, false, false}));
}

TEST_F(DefinedValuesTest, ABranchOutOfABlockCarriesItsState) {
  // br_if leaves with $x undefined; the fallthrough redefines it: after the block, undefined.
  EXPECT_EQ(DefinedGets(R"((func (param i32) (local $x i32)
      (block $b
        (local.set $x (i32.load (i32.const 0)))
        (br_if $b (local.get 0))
        (local.set $x (i32.const 1))
        (drop (local.get $x)))
      (drop (local.get $x))))"),
            (Gets{false, true, false}));
}

TEST_F(DefinedValuesTest, BrTableAndReturnLeaveNothingBehind) {
  // Code after an unconditional branch never runs: only the branches' states reach the end.
  EXPECT_EQ(DefinedGets(R"((func (param i32) (local $x i32)
      (block $b
        (block $a
          (local.set $x (i32.load (i32.const 0)))
          (br_table $a $b (local.get 0)))
        (local.set $x (i32.const 3)))
      (drop (local.get $x))))"),
            (Gets{false, false}));
}

TEST_F(DefinedValuesTest, CallResultsAreUndefinedButTheCheckersAllocatorsAreNot) {
  // A call's result may be anything; the checker replaces malloc, whose pointer is defined.
  EXPECT_EQ(DefinedGets(R"(
      (func $malloc (param i32) (result i32) (i32.const 16))
      (func $other (param i32) (result i32) (i32.const 16))
      (func (local $p i32)
        (local.set $p (call $other (i32.const 8)))
        (drop (local.get $p))
        (local.set $p (call $malloc (i32.const 8)))
        (drop (local.get $p))))"),
            (Gets{false, true}));
}

TEST_F(DefinedValuesTest, AnAddOfClosedOperandsNeedsNoSmear) {
  // $p's first add smears the loaded V bits upwards (closed from then on); the loop's adds
  // only step it, and an add with a value from memory needs its smear again.
  DefinedGets(R"((func (local $p i32) (local $i i32)
      (local.set $p (i32.add (i32.load (i32.const 0)) (i32.const 4)))
      (loop $l
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (local.set $p (i32.add (local.get $p) (i32.load (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (local.get $i)))))");
  // The first add in the loop only: the adds of loaded values smear, $i's is defined.
  ASSERT_EQ(result_.closed_lefts.size(), 1u);
  EXPECT_FALSE(result_.needs_shadow[1]);
}

TEST_F(DefinedValuesTest, AShadowNoLaterReadNeedsIsNotWritten) {
  // The param's shadow is read once, at the top; the loop reuses the local as a counter (its
  // sets there are dead), but a loop that reads the shadow keeps its set alive, and so does a
  // set before the read.
  DefinedGets(R"((func (param i32) (local $x i32)
      (local.set $x (i32.load (local.get 0)))
      (local.set 0 (i32.const 0))
      (loop $l
        (local.set 0 (i32.add (local.get 0) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get 0) (i32.const 9))))
      (loop $m
        (drop (local.get $x))
        (local.set $x (i32.const 1))
        (br_if $m (local.get 0)))))");
  // The sets of param 0 (two), not $x's first (read by the second loop) nor its second (in a
  // loop that reads it).
  EXPECT_EQ(result_.dead_shadow_sets.size(), 2u);
}

TEST_F(DefinedValuesTest, ResultsFollowedByALocalSetAreFound) {
  // A load or a plain instruction then local.set/tee at once: the two loads and the add, not
  // the load the add consumes.
  DefinedGets(R"((func (param i32) (local $x i32) (local $y i64)
      (local.set $x (i32.load (local.get 0)))
      (drop (local.tee $y (i64.load offset=8 (local.get 0))))
      (local.set $x (i32.add (i32.load (local.get 0)) (i32.const 1)))))");
  ASSERT_EQ(result_.results_into_locals.size(), 3u);
  EXPECT_EQ(result_.results_into_locals[0].second, 1u);
  EXPECT_EQ(result_.results_into_locals[1].second, 2u);
  EXPECT_EQ(result_.results_into_locals[2].second, 1u);
  EXPECT_EQ(result_.LocalSetAfter(result_.results_into_locals[1].first), 2u);
  EXPECT_FALSE(result_.LocalSetAfter(result_.results_into_locals[1].first + 1).has_value());
}

}  // namespace
}  // namespace wasmgrind::jit
