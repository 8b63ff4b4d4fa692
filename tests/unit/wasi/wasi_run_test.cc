// RunWasiCommand's checks on the module's _start: present, a function, of type () -> ();
// each failure is a Usage error naming what is wrong, and nothing runs.
#include "wasi_run.h"

#include <gtest/gtest.h>

#include "common/wasm_module_builder.h"
#include "vm/jit/engine.h"

namespace wasmgrind::wasi {
namespace {

using test::LocalGet;
using test::WasmModuleBuilder;

Result<int> RunModule(Engine& engine, const WasmModuleBuilder& b) {
  auto module = Module::Compile(engine, b.Build());
  EXPECT_TRUE(module.ok()) << module.error().ToString();
  if (!module.ok()) return module.error();
  return RunWasiCommand(engine, *module, WasiOptions{});
}

void ExpectUsageError(const Result<int>& r, const std::string& message) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Usage);
  EXPECT_EQ(r.error().message, message);
}

TEST(WasiRunTest, StartMustBeAFunctionWithoutParamsOrResults) {
  Engine engine;
  WasmModuleBuilder none;
  none.Export("memory", ExternKind::Memory, none.AddMemory(1));
  ExpectUsageError(RunModule(engine, none),
                   "the module exports no _start function (not a WASI command)");

  WasmModuleBuilder global;
  global.Export("memory", ExternKind::Memory, global.AddMemory(1));
  global.Export("_start", ExternKind::Global,
                global.AddGlobal(ValType::I32, false, test::I32Const(1)));
  ExpectUsageError(RunModule(engine, global), "the module's _start is a global, not a function");

  WasmModuleBuilder typed;
  typed.Export("memory", ExternKind::Memory, typed.AddMemory(1));
  typed.Export("_start", ExternKind::Func,
               typed.AddFunc(typed.AddType({test::kI64}, {test::kI64}), LocalGet(0)));
  ExpectUsageError(RunModule(engine, typed),
                   "the module's _start has type (i64) -> (i64), not () -> ()");

  WasmModuleBuilder good;
  good.Export("memory", ExternKind::Memory, good.AddMemory(1));
  good.Export("_start", ExternKind::Func, good.AddFunc(good.AddType({}, {}), {}));
  Result<int> ok = RunModule(engine, good);
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  EXPECT_EQ(*ok, 0);
}

}  // namespace
}  // namespace wasmgrind::wasi
