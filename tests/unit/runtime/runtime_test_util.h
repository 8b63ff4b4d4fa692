// Shared fixture for runtime tests that compile and instantiate modules built with WasmModuleBuilder.
#pragma once

#include <gtest/gtest.h>

#include "common/wasm_module_builder.h"
#include "vm/jit/engine.h"
#include "vm/runtime/api.h"

namespace wasmgrind::test {

class RuntimeTest : public testing::Test {
 protected:
  std::shared_ptr<const Module> Compile(const WasmModuleBuilder& b) {
    auto m = Module::Compile(engine_, b.Build());
    EXPECT_TRUE(m.ok()) << m.error().ToString();
    return m.ok() ? *m : nullptr;
  }
  Instance* Instantiate(const WasmModuleBuilder& b) {
    auto module = Compile(b);
    if (!module) return nullptr;
    auto inst = linker_.Instantiate(store_, module);
    EXPECT_TRUE(inst.ok()) << inst.error().ToString();
    return inst.ok() ? *inst : nullptr;
  }
  Result<std::vector<Value>> Call(Instance* inst, std::string_view name,
                                  std::vector<Value> args = {}) {
    Function* f = inst->GetFunction(name);
    EXPECT_NE(f, nullptr) << name;
    return store_.Call(f, args);
  }

  Engine engine_;
  Store store_{engine_};
  Linker linker_;
};

}  // namespace wasmgrind::test
