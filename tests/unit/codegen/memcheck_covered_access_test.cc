// Without V bits, an access to bytes the last checked access covered, with nothing between
// that could change the shadow, report or trap, has no check of its own: the first check's
// slow path checks it too (jit/emit_memcheck.cc, CoveredByCheckedAccess). The reports must be
// exactly those of checking each access where it runs: the same errors, in the same order,
// and none for an access that a trap keeps from running.
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

namespace wasmgrind {
namespace {

constexpr const char* kModule = R"((module
  (memory (export "memory") 1)
  ;; x[p] += 1: a load and a store of the same bytes.
  (func (export "increment") (param $p i32)
    (i32.store (local.get $p) (i32.add (i32.load (local.get $p)) (i32.const 1))))
  ;; A byte and a halfword inside the word loaded first, then a word that is not.
  (func (export "inside") (param $p i32) (result i32)
    (i32.add (i32.load (local.get $p))
      (i32.add (i32.add (i32.load8_u offset=3 (local.get $p)) (i32.load16_u offset=1 (local.get $p)))
               (i32.load offset=1 (local.get $p)))))
  ;; Another access between: its report comes between theirs.
  (func (export "between") (param $p i32) (param $q i32)
    (i32.store (local.get $p)
      (i32.add (i32.load (local.get $p)) (i32.load (local.get $q)))))
  ;; A division between, which traps when $d is 0: the store never runs.
  (func (export "trap_between") (param $p i32) (param $d i32)
    (i32.store (local.get $p) (i32.div_u (i32.load (local.get $p)) (local.get $d))))
  ;; The index changes between: the store is to another address.
  (func (export "moved") (param $p i32)
    (local $v i32)
    (local.set $v (i32.load (local.get $p)))
    (local.set $p (i32.add (local.get $p) (i32.const 64)))
    (i32.store (local.get $p) (local.get $v))))
)";
constexpr uint32_t kBad = 1000, kOtherBad = 2000;

class MemcheckCoveredAccessTest : public ::testing::TestWithParam<bool> {
 protected:
  MemcheckCoveredAccessTest()
      : engine_(EngineOptions{.memcheck = true, .memcheck_values = GetParam()}), store_(engine_) {
    store_.SetMemcheckFactory(report_.Factory([] {
      memcheck::MemcheckOptions o;
      o.track_definedness = o.undef_value_errors = GetParam();
      return o;
    }));
  }
  void SetUp() override {
    auto module = Module::Compile(engine_, test::Wat2Wasm(kModule, /*names=*/true));
    ASSERT_TRUE(module.ok()) << module.error().ToString();
    module_ = *module;
    Linker linker;
    auto instance = linker.Instantiate(store_, module_);
    ASSERT_TRUE(instance.ok()) << instance.error().ToString();
    instance_ = *instance;
    Checker().MakeMemNoAccess(kBad, 4);
    Checker().MakeMemNoAccess(kOtherBad, 4);
    Checker().MakeMemNoAccess(kBad + 64, 4);
  }
  memcheck::MemoryChecker& Checker() { return *Store::MemcheckOf(*instance_); }
  Result<std::vector<Value>> Call(const char* name, std::vector<Value> args) {
    return store_.Call(instance_->GetFunction(name), args);
  }
  // The report's error lines ("Invalid read of size 4" ...) and the function each names.
  std::vector<std::string> ErrorLines() {
    std::vector<std::string> lines;
    const std::string text = report_.Text();
    for (size_t at = 0; (at = text.find("Invalid ", at)) != std::string::npos; ++at) {
      lines.push_back(text.substr(at, text.find('\n', at) - at));
    }
    return lines;
  }
  // Shadow checks in the function's code: compares of the shadow (GS or its base register).
  int Checks(uint32_t function) {
    const CompiledCode& code = module_->code();
    NativeDisassembler dis;
    int checks = 0;
    const auto* entry = static_cast<const uint8_t*>(code.FunctionEntry(function));
    for (const NativeInstr& n : dis.Disassemble(entry, code.function(function).code_size, 0)) {
      if (n.mnemonic == "cmp" && n.operands.find(", 0") != std::string::npos &&
          n.operands.find("ptr") != std::string::npos &&
          n.operands.find("rsp") == std::string::npos)
        ++checks;
    }
    return checks;
  }

  test::MemcheckReport report_;
  Engine engine_;
  Store store_;
  std::shared_ptr<const Module> module_;
  Instance* instance_ = nullptr;
};

TEST_P(MemcheckCoveredAccessTest, AReadModifyWriteIsCheckedOnceAndReportedTwice) {
  EXPECT_EQ(Checks(0), GetParam() ? 2 : 1);
  ASSERT_TRUE(Call("increment", {Value::I32(kBad)}).ok());
  EXPECT_EQ(ErrorLines(),
            (std::vector<std::string>{"Invalid read of size 4", "Invalid write of size 4"}))
      << report_.Text();
  ASSERT_TRUE(Call("increment", {Value::I32(kBad - 8)}).ok());
  EXPECT_EQ(Checker().errors().counts().errors, 2u) << "a good address";
  ASSERT_TRUE(Call("increment", {Value::I32(kBad + 2)}).ok());
  EXPECT_EQ(Checker().errors().counts().errors, 4u) << report_.Text();
}

TEST_P(MemcheckCoveredAccessTest, OnlyBytesInsideTheCheckedAccessAreCovered) {
  EXPECT_EQ(Checks(1), GetParam() ? 4 : 2);
  // The word at kBad - 3 touches kBad, the byte at offset 3 is kBad, the halfword at offset 1
  // is before it, and the word at offset 1, which the first does not cover, touches it.
  ASSERT_TRUE(Call("inside", {Value::I32(kBad - 3)}).ok());
  EXPECT_EQ(ErrorLines(),
            (std::vector<std::string>{"Invalid read of size 4", "Invalid read of size 1",
                                      "Invalid read of size 4"}))
      << report_.Text();
  // From kBad - 4 only the word at offset 1 touches kBad (its context, reported once above,
  // is counted again).
  const uint64_t before = Checker().errors().counts().errors;
  ASSERT_TRUE(Call("inside", {Value::I32(kBad - 4)}).ok());
  EXPECT_EQ(Checker().errors().counts().errors, before + 1) << report_.Text();
}

TEST_P(MemcheckCoveredAccessTest, AnAccessBetweenReportsBetween) {
  ASSERT_TRUE(Call("between", {Value::I32(kBad), Value::I32(kOtherBad)}).ok());
  const std::vector<std::string> lines = ErrorLines();
  ASSERT_EQ(lines.size(), 3u) << report_.Text();
  EXPECT_EQ(lines[0], "Invalid read of size 4");
  EXPECT_EQ(lines[1], "Invalid read of size 4");
  EXPECT_EQ(lines[2], "Invalid write of size 4");
  // The second read is of kOtherBad's block, the write of kBad's: the addresses say so.
  const std::string text = report_.Text();
  EXPECT_LT(text.find("0x7d0"), text.rfind("0x3e8")) << text;
}

TEST_P(MemcheckCoveredAccessTest, AnAccessATrapKeepsFromRunningIsNotReported) {
  auto r = Call("trap_between", {Value::I32(kBad), Value::I32(0)});
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(ErrorLines(), (std::vector<std::string>{"Invalid read of size 4"})) << report_.Text();
  // Without the trap the store runs and is reported (the read's context again: counted).
  ASSERT_TRUE(Call("trap_between", {Value::I32(kBad), Value::I32(1)}).ok());
  EXPECT_EQ(ErrorLines(),
            (std::vector<std::string>{"Invalid read of size 4", "Invalid write of size 4"}))
      << report_.Text();
  EXPECT_EQ(Checker().errors().counts().errors, 3u);
}

TEST_P(MemcheckCoveredAccessTest, AMovedIndexIsCheckedAgain) {
  // The load at kBad - 64 is fine; the store goes to kBad.
  ASSERT_TRUE(Call("moved", {Value::I32(kBad - 64)}).ok());
  EXPECT_EQ(ErrorLines(), (std::vector<std::string>{"Invalid write of size 4"})) << report_.Text();
  // The load at kBad is bad; the store to kBad + 64 is too (the write's context again).
  ASSERT_TRUE(Call("moved", {Value::I32(kBad)}).ok());
  EXPECT_EQ(ErrorLines(),
            (std::vector<std::string>{"Invalid write of size 4", "Invalid read of size 4"}))
      << report_.Text();
  EXPECT_EQ(Checker().errors().counts().errors, 3u);
}

INSTANTIATE_TEST_SUITE_P(Definedness, MemcheckCoveredAccessTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "VBits" : "NoVBits"; });

}  // namespace
}  // namespace wasmgrind
