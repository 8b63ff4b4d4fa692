// Which functions EngineOptions::replace_libc_functions replaces (libc_replacements.def): only a
// defined function the name section names exactly like a row, with exactly the row's type, in
// a module with a memory. The bodies here are deliberately not strlen (they return 42), so a
// replaced function is told apart by its result; the module's validity never depends on it.
#include <gtest/gtest.h>

#include "common/wasm_module_builder.h"
#include "vm/jit/engine.h"
#include "vm/libc_replacements.h"
#include "vm/runtime/api.h"

namespace wasmgrind {
namespace {

using namespace test;

// A name section giving function `index` the name `name`.
Bytes NameSectionFor(uint32_t index, std::string_view name) {
  Bytes map = Cat({Uleb(1), Uleb(index), Name(name)});
  Bytes function_names = Cat({Bytes{1}, Uleb(map.size()), map});
  return Cat({Name("name"), function_names});
}

// A module whose function 0, named `name`, takes `params` and returns i32 42, exported as "f";
// the string "abc" at address 16 of its memory (if it has one).
WasmModuleBuilder FortyTwo(std::string_view name, const std::vector<ValType>& params,
                           bool with_memory = true) {
  WasmModuleBuilder b;
  uint32_t type = b.AddType(params, {kI32});
  uint32_t f = b.AddFunc(type, I32Const(42));
  b.Export("f", ExternKind::Func, f);
  if (with_memory) {
    b.AddMemory(1);
    b.AddData(I32Const(16), std::string_view("abc\0", 4));
  }
  b.Section(kCustomSection, NameSectionFor(f, name));
  return b;
}

// One Engine per setting, shared by the tests.
Engine& EngineFor(bool replace) {
  static Engine replacing(EngineOptions{.replace_libc_functions = true});
  static Engine plain;
  return replace ? replacing : plain;
}

Result<std::vector<Value>> CallF(bool replace, const WasmModuleBuilder& b,
                                 std::vector<Value> args) {
  Engine& engine = EngineFor(replace);
  Store store(engine);
  Linker linker;
  TRY_ASSIGN(auto module, Module::Compile(engine, b.Build()));
  TRY_ASSIGN(Instance * instance, linker.Instantiate(store, module));
  return store.Call(instance->GetFunction("f"), args);
}

int32_t ResultOf(bool replace, const WasmModuleBuilder& b, std::vector<Value> args) {
  auto r = CallF(replace, b, std::move(args));
  EXPECT_TRUE(r.ok()) << r.error().ToString();
  return r.ok() && r->size() == 1 ? static_cast<int32_t>(r->front().i32()) : -1;
}

TEST(LibcReplacementsTest, ANamedAndTypedFunctionRunsTheReplacement) {
  WasmModuleBuilder b = FortyTwo("strlen", {kI32});
  EXPECT_EQ(ResultOf(true, b, {Value::I32(16)}), 3);
  EXPECT_EQ(ResultOf(false, b, {Value::I32(16)}), 42);  // off by default for the library
}

TEST(LibcReplacementsTest, MuslInternalNamesAreReplacedToo) {
  EXPECT_EQ(
      ResultOf(true, FortyTwo("__strchrnul", {kI32, kI32}), {Value::I32(16), Value::I32('c')}), 18);
}

TEST(LibcReplacementsTest, AnotherTypeOrNameOrNoMemoryKeepsTheBody) {
  EXPECT_EQ(ResultOf(true, FortyTwo("strlen", {kI64}), {Value::I64(16)}), 42);
  EXPECT_EQ(ResultOf(true, FortyTwo("strlen", {kI32, kI32}), {Value::I32(16), Value::I32(0)}), 42);
  EXPECT_EQ(ResultOf(true, FortyTwo("Strlen", {kI32}), {Value::I32(16)}), 42);
  EXPECT_EQ(ResultOf(true, FortyTwo("strlen", {kI32}, /*with_memory=*/false), {Value::I32(16)}),
            42);
}

TEST(LibcReplacementsTest, AReplacedBodyIsStillValidated) {
  WasmModuleBuilder b;
  uint32_t type = b.AddType({kI32}, {kI32});
  uint32_t f = b.AddFunc(type, I64Const(42));  // i64 result: invalid
  b.AddMemory(1);
  b.Section(kCustomSection, NameSectionFor(f, "strlen"));
  auto module = Module::Compile(EngineFor(true), b.Build());
  ASSERT_FALSE(module.ok());
  EXPECT_EQ(module.error().kind, ErrorKind::Invalid) << module.error().ToString();
}

TEST(LibcReplacementsTest, OutOfBoundsTrapsInTheReplacedFunction) {
  WasmModuleBuilder b = FortyTwo("memset", {kI32, kI32, kI32});
  auto r = CallF(true, b, {Value::I32(65536 - 8), Value::I32(0), Value::I32(9)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Trap);
  EXPECT_EQ(r.error().trap, TrapKind::MemoryOutOfBounds) << r.error().ToString();
  // The last byte is fine; a zero length touches nothing, wherever it points.
  EXPECT_EQ(ResultOf(true, b, {Value::I32(65536 - 8), Value::I32(0), Value::I32(8)}), 65536 - 8);
  EXPECT_EQ(ResultOf(true, b, {Value::I32(-1), Value::I32(0), Value::I32(0)}), -1);
}

}  // namespace
}  // namespace wasmgrind
