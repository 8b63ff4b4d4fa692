// The wasm stack budget (EngineOptions::max_wasm_stack) and the stack check before each frame:
// recursion depth follows the budget; nested entries share the outermost entry's budget; a
// thread too small for the budget gives wasm what it has and still traps cleanly; a function
// whose frame does not fit traps "call stack exhausted" before allocating it, on any thread,
// and runs when it fits.
#include <pthread.h>

#include <functional>

#include "runtime_test_util.h"
#include "vm/trap_info.h"

namespace wasmgrind::test {
namespace {

// Exports "recurse" (calls itself forever, counting calls in the exported global "depth") and
// "depth".
WasmModuleBuilder RecursionModule() {
  WasmModuleBuilder b;
  uint32_t v_v = b.AddType({}, {});
  uint32_t depth = b.AddGlobal(ValType::I32, true, I32Const(0));
  uint32_t recurse = 0;
  EXPECT_EQ(b.AddFunc(v_v, Cat({Op(Opcode::GlobalGet, {depth}), I32Const(1), Op(Opcode::I32Add),
                                Op(Opcode::GlobalSet, {depth}), Op(Opcode::Call, {recurse})})),
            recurse);
  b.Export("recurse", ExternKind::Func, recurse);
  b.Export("depth", ExternKind::Global, depth);
  return b;
}

// How deep "recurse" gets before it traps "call stack exhausted" (0 if it does not).
uint32_t RecursionDepth(Store& store, Instance* inst) {
  Global* depth = std::get<Global*>(*inst->GetExport("depth"));
  EXPECT_TRUE(depth->Set(Value::I32(0)).ok());
  auto r = store.Call(inst->GetFunction("recurse"), {});
  EXPECT_FALSE(r.ok());
  if (r.ok()) return 0;
  EXPECT_EQ(r.error().trap, TrapKind::CallStackExhausted) << r.error().ToString();
  return depth->Get().i32();
}

uint32_t RecursionDepthWithBudget(uint64_t max_wasm_stack) {
  Engine engine(EngineOptions{.max_wasm_stack = max_wasm_stack});
  Store store(engine);
  auto module = Module::Compile(engine, RecursionModule().Build());
  EXPECT_TRUE(module.ok());
  auto inst = Linker().Instantiate(store, *module);
  EXPECT_TRUE(inst.ok());
  return inst.ok() ? RecursionDepth(store, *inst) : 0;
}

// Runs `body` on a new thread with a `stack_bytes` stack.
void OnThreadWithStack(size_t stack_bytes, const std::function<void()>& body) {
  pthread_attr_t attr;
  ASSERT_EQ(pthread_attr_init(&attr), 0);
  ASSERT_EQ(pthread_attr_setstacksize(&attr, stack_bytes), 0);
  pthread_t thread;
  auto run = [](void* arg) -> void* {
    (*static_cast<const std::function<void()>*>(arg))();
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attr, run, const_cast<std::function<void()>*>(&body)), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
}

TEST(StackLimitTest, RecursionDepthFollowsTheBudget) {
  uint32_t small = RecursionDepthWithBudget(64u << 10);
  uint32_t large = RecursionDepthWithBudget(512u << 10);
  EXPECT_GT(small, 100u);
  // The same frames: eight times the budget, about eight times the depth.
  EXPECT_GT(large, small * 7);
  EXPECT_LT(large, small * 9);
}

// A host function calling back into wasm: the inner entry keeps the outer one's limit, so the
// wasm and host frames below the outer entry count against the same budget.
TEST(StackLimitTest, NestedEntriesShareTheOutermostBudget) {
  Engine engine(EngineOptions{.max_wasm_stack = 64u << 10});
  Store store(engine);
  Linker linker;
  auto recursion = Module::Compile(engine, RecursionModule().Build());
  ASSERT_TRUE(recursion.ok());
  auto inner = linker.Instantiate(store, *recursion);
  ASSERT_TRUE(inner.ok());
  uint32_t nested_depth = 0;
  Function* host = store.CreateHostFunction(FuncType{{}, {}}, [&](auto, auto) {
    nested_depth = RecursionDepth(store, *inner);
    return Ok();
  });
  linker.Define("env", "host", host);
  WasmModuleBuilder b;
  uint32_t v_v = b.AddType({}, {});
  b.ImportFunc("env", "host", v_v);
  b.Export("outer", ExternKind::Func, b.AddFunc(v_v, Op(Opcode::Call, {0})));
  auto outer_module = Module::Compile(engine, b.Build());
  ASSERT_TRUE(outer_module.ok());
  auto outer = linker.Instantiate(store, *outer_module);
  ASSERT_TRUE(outer.ok());

  uint32_t direct_depth = RecursionDepth(store, *inner);
  ASSERT_TRUE(store.Call((*outer)->GetFunction("outer"), {}).ok());
  EXPECT_GT(nested_depth, 0u);
  EXPECT_LT(nested_depth, direct_depth);
  EXPECT_EQ(RecursionDepth(store, *inner), direct_depth) << "the outermost limit is back";
}

// A thread whose stack cannot hold the budget (1 MiB) plus the host's reserve: wasm gets what
// is left, and a thread smaller than the reserve traps on every call, cleanly.
TEST(StackLimitTest, SmallThreadsGiveWasmWhatTheyHave) {
  Engine engine;
  auto module = Module::Compile(engine, RecursionModule().Build());
  ASSERT_TRUE(module.ok());
  uint32_t full_depth = 0, small_depth = 0, tiny_depth = 1;
  auto depth_on_thread = [&](size_t stack_bytes, uint32_t* out) {
    OnThreadWithStack(stack_bytes, [&] {
      Store store(engine);
      auto inst = Linker().Instantiate(store, *module);
      ASSERT_TRUE(inst.ok());
      *out = RecursionDepth(store, *inst);
    });
  };
  depth_on_thread(8u << 20, &full_depth);
  depth_on_thread(768u << 10, &small_depth);
  depth_on_thread(128u << 10, &tiny_depth);
  EXPECT_GT(small_depth, 0u);
  EXPECT_LT(small_depth * 2, full_depth);
  EXPECT_EQ(tiny_depth, 0u);
}

// A function whose frame holds a VMVal buffer of `slots` slots: it calls (if its argument is
// non-zero) a function of a type with that many results, through a table.
WasmModuleBuilder BigFrameModule(uint32_t slots) {
  WasmModuleBuilder b;
  uint32_t many = b.AddType({}, std::vector<ValType>(slots, ValType::I32));
  uint32_t i_i = b.AddType({kI32}, {kI32});
  b.AddTable(1);
  b.Export("big_frame", ExternKind::Func,
           b.AddFunc(i_i, Cat({LocalGet(0), Op(Opcode::If, {0x40}), I32Const(0),
                               Op(Opcode::CallIndirect, {many, 0}), Op(Opcode::Return),
                               Op(Opcode::End), I32Const(7)})));
  return b;
}

Result<std::vector<Value>> CallBigFrame(uint32_t slots, uint64_t max_wasm_stack) {
  Engine engine(EngineOptions{.max_wasm_stack = max_wasm_stack});
  Store store(engine);
  TRY_ASSIGN(auto module, Module::Compile(engine, BigFrameModule(slots).Build()));
  TRY_ASSIGN(Instance * inst, Linker().Instantiate(store, module));
  return store.Call(inst->GetFunction("big_frame"), std::vector<Value>{Value::I32(0)});
}

void ExpectStackExhaustedAtEntry(const Result<std::vector<Value>>& r) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().trap, TrapKind::CallStackExhausted) << r.error().ToString();
  ASSERT_NE(r.error().trap_info, nullptr);
  EXPECT_EQ(r.error().trap_info->signal, 0) << "an explicit trap, not a fault on the frame";
  ASSERT_EQ(r.error().trap_info->backtrace.size(), 1u);
}

TEST(StackLimitTest, AFrameThatDoesNotFitTrapsBeforeItIsAllocated) {
  // 128 KiB of VMVals: more than a 64 KiB budget, well within the host's reserve, so only a
  // check that counts the frame can catch it.
  ExpectStackExhaustedAtEntry(CallBigFrame(8192, 64u << 10));
  auto fits = CallBigFrame(8192, 1u << 20);
  ASSERT_TRUE(fits.ok()) << fits.error().ToString();
  EXPECT_EQ((*fits)[0].i32(), 7u);
}

// A frame larger than the thread's whole stack (512 KiB on a 384 KiB thread, whose guard is one
// page): allocated first, it would be written past the guard, into whatever is mapped below.
TEST(StackLimitTest, AFrameLargerThanTheThreadTrapsBeforeItIsAllocated) {
  Result<std::vector<Value>> r = std::vector<Value>{};
  OnThreadWithStack(384u << 10, [&] { r = CallBigFrame(32 * 1024, 1u << 30); });
  ExpectStackExhaustedAtEntry(r);
}

}  // namespace
}  // namespace wasmgrind::test
