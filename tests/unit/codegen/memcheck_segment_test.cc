// The shadow segment (vm/shadow_segment.h): with it, JIT code addresses each instance's shadow
// through GS, whose base must be the running instance's shadow. Calls between two checked
// instances (an imported function, call_indirect through a shared table) and host-to-wasm
// entries switch it and switch it back, including after a trap. Each case runs with the
// segment (where the machine has FSGSBASE) and with the shadow base in a register.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "codegen/memcheck_report.h"
#include "common/wat2wasm.h"
#include "memcheck/memory_checker.h"
#include "vm/jit/compiled_code.h"
#include "vm/jit/engine.h"
#include "vm/jit/native_disassembler.h"
#include "vm/runtime/api.h"
#include "vm/shadow_segment.h"

namespace wasmgrind {
namespace {

using test::Wat2Wasm;

// B reads a byte of its memory; A calls it directly, through B's table, and reads the same
// address of its own memory after each call.
constexpr const char* kCallee = R"((module
  (memory (export "memory") 1)
  (table (export "table") 1 funcref)
  (elem (i32.const 0) $peek)
  (func $peek (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0))))
)";
constexpr const char* kCaller = R"((module
  (import "b" "peek" (func $peek (param i32) (result i32)))
  (import "b" "table" (table 1 funcref))
  (type $peek_type (func (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "direct") (param i32) (result i32)
    (i32.add (call $peek (local.get 0)) (i32.load8_u (local.get 0))))
  (func (export "indirect") (param i32) (result i32)
    (i32.add (call_indirect (type $peek_type) (local.get 0) (i32.const 0))
             (i32.load8_u (local.get 0)))))
)";
// NoAccess in B only, and in A only.
constexpr uint32_t kBadInCallee = 100, kBadInCaller = 200;

class MemcheckSegmentTest : public ::testing::TestWithParam<bool> {
 protected:
  MemcheckSegmentTest()
      : engine_(EngineOptions{.memcheck = true, .memcheck_shadow_segment = GetParam()}),
        store_(engine_) {
    store_.SetMemcheckFactory(report_.Factory([] { return memcheck::MemcheckOptions{}; }));
  }

  void SetUp() override {
    auto callee = Module::Compile(engine_, Wat2Wasm(kCallee));
    ASSERT_TRUE(callee.ok()) << callee.error().ToString();
    auto caller = Module::Compile(engine_, Wat2Wasm(kCaller));
    ASSERT_TRUE(caller.ok()) << caller.error().ToString();
    Linker linker;
    auto b = linker.Instantiate(store_, *callee);
    ASSERT_TRUE(b.ok()) << b.error().ToString();
    callee_ = *b;
    linker.DefineInstance("b", *callee_);
    auto a = linker.Instantiate(store_, *caller);
    ASSERT_TRUE(a.ok()) << a.error().ToString();
    caller_ = *a;
    Store::MemcheckOf(*callee_)->MakeMemNoAccess(kBadInCallee, 1);
    Store::MemcheckOf(*caller_)->MakeMemNoAccess(kBadInCaller, 1);
  }

  Result<std::vector<Value>> Call(Instance* instance, const char* name, uint32_t arg) {
    std::vector<Value> args = {Value::I32(arg)};
    return store_.Call(instance->GetFunction(name), args);
  }
  uint64_t Errors(Instance* instance) {
    return Store::MemcheckOf(*instance)->errors().counts().errors;
  }

  test::MemcheckReport report_;  // outlives the store, whose checkers write to it
  Engine engine_;
  Store store_;
  Instance* callee_ = nullptr;
  Instance* caller_ = nullptr;
};

TEST_P(MemcheckSegmentTest, TheEngineUsesTheSegmentWhereTheMachineHasIt) {
  EXPECT_EQ(engine_.options().memcheck_shadow_segment, GetParam() && ShadowSegmentSupported());
}

TEST_P(MemcheckSegmentTest, EachInstanceChecksItsOwnShadowAcrossCalls) {
  for (const char* entry : {"direct", "indirect"}) {
    SCOPED_TRACE(entry);
    const uint64_t callee_before = Errors(callee_), caller_before = Errors(caller_);
    // Bad only in the callee: the callee reports, the caller's read after the call does not.
    ASSERT_TRUE(Call(caller_, entry, kBadInCallee).ok());
    EXPECT_EQ(Errors(callee_), callee_before + 1) << report_.Text();
    EXPECT_EQ(Errors(caller_), caller_before) << report_.Text();
    // Bad only in the caller: its read after the call (back on its own shadow) reports.
    ASSERT_TRUE(Call(caller_, entry, kBadInCaller).ok());
    EXPECT_EQ(Errors(callee_), callee_before + 1) << report_.Text();
    EXPECT_EQ(Errors(caller_), caller_before + 1) << report_.Text();
  }
}

TEST_P(MemcheckSegmentTest, EntriesFromTheHostSetTheCalleesShadow) {
  ASSERT_TRUE(Call(callee_, "peek", kBadInCaller).ok());
  EXPECT_EQ(Errors(callee_), 0u) << report_.Text();
  ASSERT_TRUE(Call(callee_, "peek", kBadInCallee).ok());
  EXPECT_EQ(Errors(callee_), 1u) << report_.Text();
  ASSERT_TRUE(Call(caller_, "direct", 0).ok());
  EXPECT_EQ(Errors(caller_), 0u) << report_.Text();
}

TEST_P(MemcheckSegmentTest, ATrapInTheCalleeLeavesTheCallersShadowForItsNextEntry) {
  // Past the callee's memory: a trap out of both instances, from the callee's shadow.
  EXPECT_FALSE(Call(caller_, "direct", 70000).ok());
  ASSERT_TRUE(Call(caller_, "indirect", kBadInCaller).ok());
  EXPECT_EQ(Errors(callee_), 0u) << report_.Text();
  EXPECT_EQ(Errors(caller_), 1u) << report_.Text();
  ASSERT_TRUE(Call(callee_, "peek", kBadInCallee).ok());
  EXPECT_EQ(Errors(callee_), 1u) << report_.Text();
}

// With the segment, a check is `cmp size ptr gs:[index], 0` with the index as the base
// register: 5 or 6 bytes, not the 10 of an index with no base, which needs a 32-bit
// displacement. Hot loops are made of these.
TEST_P(MemcheckSegmentTest, TheSegmentCheckIsShort) {
  if (!engine_.options().memcheck_shadow_segment) GTEST_SKIP() << "no segment here";
  auto module = Module::Compile(engine_, Wat2Wasm(R"((module (memory 1)
    (func (param i32 i32) (result i64)
      (i64.add (i64.load (local.get 0)) (i64.extend_i32_u (i32.load8_u (local.get 1)))))))"));
  ASSERT_TRUE(module.ok()) << module.error().ToString();
  const CompiledCode& code = (*module)->code();
  NativeDisassembler dis;
  int checks = 0;
  const auto* entry = static_cast<const uint8_t*>(code.FunctionEntry(0));
  for (const NativeInstr& n : dis.Disassemble(entry, code.function(0).code_size, 0)) {
    if (n.operands.find("gs:[") == std::string::npos) continue;
    ++checks;
    EXPECT_LE(n.size, 6u) << n.mnemonic << " " << n.operands << " (" << n.bytes << ")";
  }
  EXPECT_EQ(checks, 2);
}

INSTANTIATE_TEST_SUITE_P(Segment, MemcheckSegmentTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Segment" : "Register"; });

}  // namespace
}  // namespace wasmgrind
