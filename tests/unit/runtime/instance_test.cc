// Instantiation and calls: exports of every kind, segments, start functions, linking errors,
// host functions (and host functions calling back into wasm), the typed call wrapper.
#include <tuple>

#include "runtime_test_util.h"
#include "vm/runtime/typed_func.h"

namespace wasmgrind::test {
namespace {

WasmModuleBuilder AddModule() {
  WasmModuleBuilder b;
  uint32_t t = b.AddType({kI32, kI32}, {kI32});
  uint32_t add = b.AddFunc(t, Cat({LocalGet(0), LocalGet(1), Op(Opcode::I32Add)}));
  b.Export("add", ExternKind::Func, add);
  return b;
}

TEST_F(RuntimeTest, CallsAnExportedFunction) {
  Instance* inst = Instantiate(AddModule());
  ASSERT_NE(inst, nullptr);
  auto r = Call(inst, "add", {Value::I32(2), Value::I32(40)});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].type, kI32);
  EXPECT_EQ((*r)[0].i32(), 42u);
  EXPECT_EQ(inst->GetFunction("missing"), nullptr);
  EXPECT_FALSE(inst->GetExport("missing").has_value());
}

TEST_F(RuntimeTest, CallChecksArguments) {
  Instance* inst = Instantiate(AddModule());
  ASSERT_NE(inst, nullptr);
  auto few = Call(inst, "add", {Value::I32(1)});
  ASSERT_FALSE(few.ok());
  EXPECT_EQ(few.error().kind, ErrorKind::Usage);
  EXPECT_EQ(few.error().message, "expected 2 arguments, got 1");
  auto mistyped = Call(inst, "add", {Value::F64(1.0), Value::I32(1)});
  ASSERT_FALSE(mistyped.ok());
  EXPECT_EQ(mistyped.error().message, "argument 0: expected i32, got f64");
}

TEST_F(RuntimeTest, TypedFuncCallsWithNativeValues) {
  Instance* inst = Instantiate(AddModule());
  ASSERT_NE(inst, nullptr);
  auto add = TypedFunc<int32_t(int32_t, int32_t)>::Make(store_, inst->GetFunction("add"));
  ASSERT_TRUE(add.ok()) << add.error().ToString();
  auto sum = (*add)(-5, 3);
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(*sum, -2);
  auto wrong = TypedFunc<int64_t(int32_t, int32_t)>::Make(store_, inst->GetFunction("add"));
  EXPECT_FALSE(wrong.ok());
}

TEST_F(RuntimeTest, ExportsMemoryGlobalAndTableWithSegments) {
  WasmModuleBuilder b;
  uint32_t t = b.AddType({}, {kI32});
  uint32_t f = b.AddFunc(t, I32Const(7));
  b.AddMemory(1, 2);
  b.AddTable(3);
  uint32_t g = b.AddGlobal(kI64, true, I64Const(-3));
  b.AddElem(I32Const(1), {f});
  b.AddData(I32Const(16), "hello");
  b.Export("mem", ExternKind::Memory, 0);
  b.Export("tab", ExternKind::Table, 0);
  b.Export("glob", ExternKind::Global, g);
  b.Export("seven", ExternKind::Func, f);
  Instance* inst = Instantiate(b);
  ASSERT_NE(inst, nullptr);

  auto mem = std::get<LinearMemory*>(*inst->GetExport("mem"));
  EXPECT_EQ(mem, inst->memory(0));
  EXPECT_EQ(std::string(reinterpret_cast<char*>(mem->data()) + 16, 5), "hello");
  EXPECT_EQ(mem->pages(), 1u);

  auto glob = std::get<Global*>(*inst->GetExport("glob"));
  EXPECT_EQ(glob->Get().i64(), static_cast<uint64_t>(-3));
  EXPECT_TRUE(glob->type().is_mutable);

  auto tab = std::get<Table*>(*inst->GetExport("tab"));
  ASSERT_EQ(tab->size(), 3u);
  EXPECT_TRUE(tab->Get(0)->is_null());
  auto ref = tab->Get(1);
  ASSERT_TRUE(ref.ok());
  auto* func_ref = reinterpret_cast<const VMFuncRef*>(ref->bits);
  Function* seven = inst->GetFunction("seven");
  EXPECT_EQ(func_ref, seven->func_ref());
  EXPECT_EQ(store_.FunctionFromRef(func_ref), seven);
  EXPECT_EQ(seven->instance(), inst);
  auto r = store_.Call(store_.FunctionFromRef(func_ref), {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].i32(), 7u);
}

TEST_F(RuntimeTest, StartFunctionRuns) {
  WasmModuleBuilder b;
  uint32_t t = b.AddType({}, {});
  uint32_t g = b.AddGlobal(kI32, true, I32Const(0));
  uint32_t start = b.AddFunc(t, Cat({I32Const(42), Op(Opcode::GlobalSet, {g})}));
  b.Start(start);
  b.Export("g", ExternKind::Global, g);
  Instance* inst = Instantiate(b);
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(std::get<Global*>(*inst->GetExport("g"))->Get().i32(), 42u);
}

TEST_F(RuntimeTest, UnknownAndIncompatibleImports) {
  WasmModuleBuilder b;
  uint32_t t = b.AddType({kI32}, {});
  b.ImportFunc("env", "f", t);
  auto module = Compile(b);
  ASSERT_NE(module, nullptr);
  auto missing = linker_.Instantiate(store_, module);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::Unlinkable);
  EXPECT_EQ(missing.error().message, "unknown import \"env\".\"f\"");

  Function* wrong =
      store_.CreateHostFunction(FuncType{{kI64}, {}}, [](auto, auto) { return Ok(); });
  linker_.Define("env", "f", wrong);
  auto incompatible = linker_.Instantiate(store_, module);
  ASSERT_FALSE(incompatible.ok());
  EXPECT_EQ(incompatible.error().message, "incompatible import type \"env\".\"f\"");
}

TEST_F(RuntimeTest, ImportedMemoryLimitsAreMatchedBySubtyping) {
  WasmModuleBuilder b;
  b.ImportMemory("env", "mem", 1, 4);
  auto module = Compile(b);
  ASSERT_NE(module, nullptr);
  auto no_max = store_.CreateMemory(MemoryType{Limits{2, std::nullopt}});
  auto big_max = store_.CreateMemory(MemoryType{Limits{2, 5}});
  auto ok = store_.CreateMemory(MemoryType{Limits{2, 3}});
  ASSERT_TRUE(no_max.ok() && big_max.ok() && ok.ok());
  Linker l1, l2, l3;
  l1.Define("env", "mem", *no_max);
  l2.Define("env", "mem", *big_max);
  l3.Define("env", "mem", *ok);
  EXPECT_FALSE(l1.Instantiate(store_, module).ok());
  EXPECT_FALSE(l2.Instantiate(store_, module).ok());
  auto inst = l3.Instantiate(store_, module);
  ASSERT_TRUE(inst.ok());
  EXPECT_EQ((*inst)->memory(0), *ok);
}

// Spec 2.0: segments before the failing one stay applied to an imported memory.
TEST_F(RuntimeTest, FailingDataSegmentLeavesEarlierSegmentsApplied) {
  auto mem = store_.CreateMemory(MemoryType{Limits{1, std::nullopt}});
  ASSERT_TRUE(mem.ok());
  linker_.Define("env", "mem", *mem);
  WasmModuleBuilder b;
  b.ImportMemory("env", "mem", 1);
  b.AddData(I32Const(0), "ab");
  b.AddData(I32Const(65535), "cd");
  auto module = Compile(b);
  ASSERT_NE(module, nullptr);
  auto inst = linker_.Instantiate(store_, module);
  ASSERT_FALSE(inst.ok());
  EXPECT_EQ(inst.error().kind, ErrorKind::Trap);
  EXPECT_EQ(inst.error().message, "out of bounds memory access");
  EXPECT_EQ((*mem)->data()[0], 'a');
  EXPECT_EQ((*mem)->data()[1], 'b');
  EXPECT_EQ((*mem)->data()[65535], 0);
}

TEST_F(RuntimeTest, FailingElementSegmentTrapsWithTableMessage) {
  WasmModuleBuilder b;
  uint32_t t = b.AddType({}, {});
  uint32_t f = b.AddFunc(t, {});
  b.AddTable(1);
  b.AddElem(I32Const(1), {f});
  auto module = Compile(b);
  ASSERT_NE(module, nullptr);
  auto inst = linker_.Instantiate(store_, module);
  ASSERT_FALSE(inst.ok());
  EXPECT_EQ(inst.error().message, "out of bounds table access");
}

TEST_F(RuntimeTest, RegisteredInstanceExportsAreImportable) {
  Instance* a = Instantiate(AddModule());
  ASSERT_NE(a, nullptr);
  linker_.DefineInstance("a", *a);
  WasmModuleBuilder b;
  uint32_t t = b.AddType({kI32, kI32}, {kI32});
  uint32_t imported = b.ImportFunc("a", "add", t);
  uint32_t twice = b.AddFunc(t, Cat({LocalGet(0), LocalGet(1), Op(Opcode::Call, {imported}),
                                     LocalGet(1), Op(Opcode::Call, {imported})}));
  b.Export("add_twice", ExternKind::Func, twice);
  b.Export("reexport", ExternKind::Func, imported);
  Instance* inst = Instantiate(b);
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(inst->GetFunction("reexport"), a->GetFunction("add"));
  auto r = Call(inst, "add_twice", {Value::I32(1), Value::I32(10)});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ((*r)[0].i32(), 21u);
}

TEST_F(RuntimeTest, HostFunctionsCallBackIntoWasm) {
  // double(x) = x + x is exported by one module; the host function calls it; run(x) = cb(x)+1.
  WasmModuleBuilder db;
  uint32_t ti = db.AddType({kI32}, {kI32});
  db.Export("double", ExternKind::Func,
            db.AddFunc(ti, Cat({LocalGet(0), LocalGet(0), Op(Opcode::I32Add)})));
  Instance* doubler = Instantiate(db);
  ASSERT_NE(doubler, nullptr);

  int calls = 0;
  Function* cb = store_.CreateHostFunction(
      FuncType{{kI32}, {kI32}}, [&](std::span<const Value> args, std::span<Value> results) {
        ++calls;
        auto r = store_.Call(doubler->GetFunction("double"), args);
        if (!r.ok()) return Result<void>(std::move(r).error());
        results[0] = (*r)[0];
        return Ok();
      });
  EXPECT_EQ(cb->instance(), nullptr);
  EXPECT_EQ(store_.FunctionFromRef(cb->func_ref()), cb);
  linker_.Define("env", "cb", cb);

  WasmModuleBuilder b;
  uint32_t t = b.AddType({kI32}, {kI32});
  uint32_t imported = b.ImportFunc("env", "cb", t);
  b.Export("run", ExternKind::Func,
           b.AddFunc(t, Cat({LocalGet(0), Op(Opcode::Call, {imported}), I32Const(1),
                             Op(Opcode::I32Add)})));
  Instance* inst = Instantiate(b);
  ASSERT_NE(inst, nullptr);
  auto r = Call(inst, "run", {Value::I32(20)});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ((*r)[0].i32(), 41u);
  EXPECT_EQ(calls, 1);
  // A host function called directly from C++.
  auto direct = store_.Call(cb, std::vector<Value>{Value::I32(4)});
  ASSERT_TRUE(direct.ok());
  EXPECT_EQ((*direct)[0].i32(), 8u);
}

TEST_F(RuntimeTest, HostFunctionWithManyParamsAndResults) {
  // Exercises the buffer ABI path of the host stub: 13 params, two results.
  std::vector<ValType> params(13, kI64);
  Function* sum = store_.CreateHostFunction(
      FuncType{params, {kI64, kI32}}, [](std::span<const Value> args, std::span<Value> results) {
        uint64_t s = 0;
        for (const Value& v : args) s += v.i64();
        results[0] = Value::I64(s);
        results[1] = Value::I32(static_cast<uint32_t>(args.size()));
        return Ok();
      });
  linker_.Define("env", "sum", sum);
  WasmModuleBuilder b;
  uint32_t t = b.AddType(params, {kI64, kI32});
  uint32_t run_t = b.AddType({}, {kI64, kI32});
  uint32_t imported = b.ImportFunc("env", "sum", t);
  Bytes body;
  for (int i = 1; i <= 13; ++i) body = Cat({body, I64Const(i)});
  b.Export("run", ExternKind::Func, b.AddFunc(run_t, Cat({body, Op(Opcode::Call, {imported})})));
  Instance* inst = Instantiate(b);
  ASSERT_NE(inst, nullptr);
  auto run = TypedFunc<std::tuple<int64_t, int32_t>()>::Make(store_, inst->GetFunction("run"));
  ASSERT_TRUE(run.ok()) << run.error().ToString();
  auto r = (*run)();
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(std::get<0>(*r), 91);
  EXPECT_EQ(std::get<1>(*r), 13);
}

}  // namespace
}  // namespace wasmgrind::test
