// Shared fixture for the code generator's tests: modules are written in the text format,
// assembled with wabt's wat2wasm (skipped if it is not installed), then compiled and run
// through the embedding API (so these tests link the runtime; tests/unit/jit does not).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "common/wat2wasm.h"
#include "vm/jit/engine.h"
#include "vm/runtime/api.h"

namespace wasmgrind::test {

// With WASMGRIND_TEST_LARGE_FUNCTION_PATH set (the codegen_tests/large-function-path variant in
// tests/CMakeLists.txt), every function is compiled as a large one (compacted virtual registers,
// locals in stack slots), so that the same tests check that path's results.
inline EngineOptions TestEngineOptions() {
  EngineOptions options;
  if (std::getenv("WASMGRIND_TEST_LARGE_FUNCTION_PATH") != nullptr) {
    options.max_allocator_pressure = 0;
    options.max_register_locals = 0;
  }
  return options;
}

class JitTest : public testing::Test {
 protected:
  void SetUp() override {
    if (!HaveWat2Wasm()) GTEST_SKIP() << "wat2wasm is not installed";
  }

  Result<std::shared_ptr<const Module>> CompileWat(const std::string& wat, bool names = false) {
    return Module::Compile(engine_, Wat2Wasm(wat, names));
  }

  Instance* Load(const std::string& wat, bool names = false) {
    auto module = CompileWat(wat, names);
    EXPECT_TRUE(module.ok()) << module.error().ToString();
    if (!module.ok()) return nullptr;
    auto inst = linker_.Instantiate(store_, *module);
    EXPECT_TRUE(inst.ok()) << inst.error().ToString();
    return inst.ok() ? *inst : nullptr;
  }

  Result<std::vector<Value>> Call(Instance* inst, std::string_view name,
                                  std::vector<Value> args = {}) {
    Function* f = inst->GetFunction(name);
    if (f == nullptr) return Error::Make(ErrorKind::Usage, "no such export");
    return store_.Call(f, args);
  }

  // The single result's raw bits (i32 zero-extended); fails the test on a trap.
  uint64_t Bits(Instance* inst, std::string_view name, std::vector<Value> args = {}) {
    auto r = Call(inst, name, std::move(args));
    EXPECT_TRUE(r.ok()) << name << ": " << r.error().ToString();
    if (!r.ok() || r->empty()) return 0xdeadbeefdeadbeefull;
    return r->front().bits;
  }

  // The trap kind a call ends with (None if it returned).
  TrapKind TrapOf(Instance* inst, std::string_view name, std::vector<Value> args = {}) {
    auto r = Call(inst, name, std::move(args));
    if (r.ok()) return TrapKind::None;
    EXPECT_EQ(r.error().kind, ErrorKind::Trap) << r.error().ToString();
    return r.error().trap;
  }

  Engine engine_{TestEngineOptions()};
  Store store_{engine_};
  Linker linker_;
};

inline uint32_t F32Bits(float f) { return Value::F32(f).i32(); }
inline uint64_t F64Bits(double d) { return Value::F64(d).i64(); }

}  // namespace wasmgrind::test
