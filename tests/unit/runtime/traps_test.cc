// Traps through the trap boundary: explicit traps, out-of-bounds memory (a real SIGSEGV in JIT
// code), bulk-memory and table runtime calls, host-function errors, stack exhaustion; the
// store stays usable afterwards and repeated traps leak nothing.

#include <thread>

#include "common/heap_growth.h"
#include "runtime_test_util.h"

namespace wasmgrind::test {
namespace {

// Exports: add, unreachable, load(addr), grow(pages), size, fill(dst, val, len),
// copy(dst, src, len), recurse, div(a, b).
WasmModuleBuilder TrapModule() {
  WasmModuleBuilder b;
  uint32_t ii_i = b.AddType({kI32, kI32}, {kI32});
  uint32_t v_v = b.AddType({}, {});
  uint32_t i_i = b.AddType({kI32}, {kI32});
  uint32_t v_i = b.AddType({}, {kI32});
  uint32_t iii_v = b.AddType({kI32, kI32, kI32}, {});
  b.AddMemory(1, 3);
  b.Export("add", ExternKind::Func, b.AddFunc(ii_i, Cat({LocalGet(0), LocalGet(1), Op(Opcode::I32Add)})));
  b.Export("unreachable", ExternKind::Func, b.AddFunc(v_v, Op(Opcode::Unreachable)));
  b.Export("load", ExternKind::Func, b.AddFunc(i_i, Cat({LocalGet(0), Op(Opcode::I32Load, {2, 0})})));
  b.Export("grow", ExternKind::Func, b.AddFunc(i_i, Cat({LocalGet(0), Op(Opcode::MemoryGrow, {0})})));
  b.Export("size", ExternKind::Func, b.AddFunc(v_i, Op(Opcode::MemorySize, {0})));
  b.Export("fill", ExternKind::Func,
           b.AddFunc(iii_v, Cat({LocalGet(0), LocalGet(1), LocalGet(2), Op(Opcode::MemoryFill, {0})})));
  b.Export("copy", ExternKind::Func,
           b.AddFunc(iii_v, Cat({LocalGet(0), LocalGet(1), LocalGet(2), Op(Opcode::MemoryCopy, {0, 0})})));
  uint32_t recurse = 7;  // function index of the next definition
  EXPECT_EQ(b.AddFunc(v_v, Op(Opcode::Call, {recurse})), recurse);
  b.Export("recurse", ExternKind::Func, recurse);
  b.Export("div", ExternKind::Func, b.AddFunc(ii_i, Cat({LocalGet(0), LocalGet(1), Op(Opcode::I32DivS)})));
  b.Export("mem", ExternKind::Memory, 0);
  return b;
}

void ExpectTrap(const Result<std::vector<Value>>& r, TrapKind kind) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Trap);
  EXPECT_EQ(r.error().trap, kind);
  EXPECT_EQ(r.error().message, TrapMessage(kind));
}

class TrapTest : public RuntimeTest {
 protected:
  void SetUp() override {
    inst_ = Instantiate(TrapModule());
    ASSERT_NE(inst_, nullptr);
  }
  void ExpectStoreUsable() {
    auto r = Call(inst_, "add", {Value::I32(1), Value::I32(2)});
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    EXPECT_EQ((*r)[0].i32(), 3u);
  }
  Instance* inst_ = nullptr;
};

TEST_F(TrapTest, UnreachableTraps) {
  ExpectTrap(Call(inst_, "unreachable"), TrapKind::Unreachable);
  ExpectStoreUsable();
}

// Traps name the wasm instruction responsible: the byte offset of its opcode in the binary.
TEST_F(TrapTest, TrapsPointAtTheInstruction) {
  const std::vector<uint8_t>& bytes = inst_->module().info().bytes;
  auto unreachable = Call(inst_, "unreachable");
  ASSERT_FALSE(unreachable.ok());
  ASSERT_TRUE(unreachable.error().offset.has_value());
  EXPECT_EQ(bytes[*unreachable.error().offset], 0x00);  // `unreachable`
  auto load = Call(inst_, "load", {Value::I32(70000)});
  ASSERT_FALSE(load.ok());
  ASSERT_TRUE(load.error().offset.has_value());
  EXPECT_EQ(bytes[*load.error().offset], 0x28);  // `i32.load`
  auto div = Call(inst_, "div", {Value::I32(1), Value::I32(0)});
  ASSERT_FALSE(div.ok());
  ASSERT_TRUE(div.error().offset.has_value());
  EXPECT_EQ(bytes[*div.error().offset], 0x6d);  // `i32.div_s`
  // Runtime calls that trap (through runtime_calls.cc's RunTrapping) name their instruction too.
  for (const char* name : {"fill", "copy"}) {
    auto bulk = Call(inst_, name, {Value::I32(65530), Value::I32(0), Value::I32(7)});
    ASSERT_FALSE(bulk.ok()) << name;
    ASSERT_TRUE(bulk.error().offset.has_value()) << name;
    EXPECT_EQ(bytes[*bulk.error().offset], 0xfc) << name;  // memory.fill / memory.copy's prefix
    EXPECT_EQ(bytes[*bulk.error().offset + 1], std::string_view(name) == "fill" ? 0x0b : 0x0a) << name;
  }
}

TEST_F(TrapTest, DivisionByZeroTraps) {
  ExpectTrap(Call(inst_, "div", {Value::I32(1), Value::I32(0)}), TrapKind::IntegerDivideByZero);
  ExpectStoreUsable();
}

TEST_F(TrapTest, OutOfBoundsLoadFaultsIntoATrap) {
  inst_->memory(0)->data()[65532] = 9;
  auto in = Call(inst_, "load", {Value::I32(65532)});
  ASSERT_TRUE(in.ok()) << in.error().ToString();
  EXPECT_EQ((*in)[0].i32(), 9u);
  ExpectTrap(Call(inst_, "load", {Value::I32(65533)}), TrapKind::MemoryOutOfBounds);
  ExpectTrap(Call(inst_, "load", {Value::I32(0xffffffff)}), TrapKind::MemoryOutOfBounds);
  ExpectStoreUsable();
}

TEST_F(TrapTest, MemoryGrowAndSize) {
  EXPECT_EQ((*Call(inst_, "size"))[0].i32(), 1u);
  EXPECT_EQ((*Call(inst_, "grow", {Value::I32(1)}))[0].i32(), 1u);
  EXPECT_EQ((*Call(inst_, "grow", {Value::I32(5)}))[0].i32(), 0xffffffffu);
  EXPECT_EQ((*Call(inst_, "size"))[0].i32(), 2u);
  // The new page is accessible from compiled code.
  auto r = Call(inst_, "load", {Value::I32(65536 + 100)});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ((*r)[0].i32(), 0u);
}

TEST_F(TrapTest, BulkMemoryBoundsFollowTheSpec) {
  uint8_t* mem = inst_->memory(0)->data();
  ASSERT_TRUE(Call(inst_, "fill", {Value::I32(10), Value::I32(0xab), Value::I32(4)}).ok());
  EXPECT_EQ(mem[10], 0xab);
  EXPECT_EQ(mem[13], 0xab);
  EXPECT_EQ(mem[14], 0);
  // Overlapping copy behaves as memmove.
  ASSERT_TRUE(Call(inst_, "copy", {Value::I32(12), Value::I32(10), Value::I32(4)}).ok());
  EXPECT_EQ(mem[15], 0xab);
  EXPECT_EQ(mem[16], 0);
  // Length 0 at the end is fine; past the end traps even with length 0.
  EXPECT_TRUE(Call(inst_, "fill", {Value::I32(65536), Value::I32(1), Value::I32(0)}).ok());
  ExpectTrap(Call(inst_, "fill", {Value::I32(65537), Value::I32(1), Value::I32(0)}),
             TrapKind::MemoryOutOfBounds);
  ExpectTrap(Call(inst_, "copy", {Value::I32(0), Value::I32(65530), Value::I32(7)}),
             TrapKind::MemoryOutOfBounds);
  ExpectTrap(Call(inst_, "fill", {Value::I32(65530), Value::I32(1), Value::I32(0xffffffff)}),
             TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(mem[65530], 0);  // a trapping fill writes nothing
}

TEST_F(TrapTest, DeepRecursionExhaustsTheStack) {
  ExpectTrap(Call(inst_, "recurse"), TrapKind::CallStackExhausted);
  ExpectStoreUsable();
  ExpectTrap(Call(inst_, "recurse"), TrapKind::CallStackExhausted);
}

TEST_F(TrapTest, HundredThousandTrapsLeakNothing) {
  ExpectNoHeapGrowth([&](int n) {
    for (int i = 0; i < n; ++i) {
      auto r = (i % 2 == 0) ? Call(inst_, "load", {Value::I32(0x7fffffff)})
                            : Call(inst_, "unreachable");
      ASSERT_FALSE(r.ok());
    }
  });
  ExpectStoreUsable();
}

// Each thread runs its own Store: traps (signal-based and explicit) and stack exhaustion are
// per thread, with each thread's own alternate signal stack and stack limit.
TEST_F(RuntimeTest, StoresOnSeveralThreadsTrapIndependently) {
  auto module = Compile(TrapModule());
  ASSERT_NE(module, nullptr);
  auto worker = [&](int* failures) {
    Store store(engine_);
    auto inst = Linker().Instantiate(store, module);
    if (!inst.ok()) { ++*failures; return; }
    for (int i = 0; i < 2000; ++i) {
      auto r = store.Call((*inst)->GetFunction("load"), std::vector<Value>{Value::I32(0x80000000)});
      if (r.ok() || r.error().trap != TrapKind::MemoryOutOfBounds) ++*failures;
    }
    auto r = store.Call((*inst)->GetFunction("recurse"), {});
    if (r.ok() || r.error().trap != TrapKind::CallStackExhausted) ++*failures;
  };
  int failures[3] = {};
  std::thread a(worker, &failures[0]), b(worker, &failures[1]);
  worker(&failures[2]);
  a.join();
  b.join();
  EXPECT_EQ(failures[0] + failures[1] + failures[2], 0);
}

// A host function that traps: the error travels to the caller of the outer wasm function.
TEST_F(RuntimeTest, HostFunctionErrorsTrapTheCaller) {
  Function* boom = store_.CreateHostFunction(FuncType{{}, {}}, [](auto, auto) {
    return Result<void>(Error::FromTrap(TrapKind::HostTrap, "boom"));
  });
  Function* exit = store_.CreateHostFunction(FuncType{{}, {}}, [](auto, auto) {
    Error e = Error::Make(ErrorKind::Exit, "exit");
    e.exit_code = 3;
    return Result<void>(std::move(e));
  });
  linker_.Define("env", "boom", boom);
  linker_.Define("env", "exit", exit);
  WasmModuleBuilder b;
  uint32_t t = b.AddType({}, {});
  uint32_t fb = b.ImportFunc("env", "boom", t);
  uint32_t fe = b.ImportFunc("env", "exit", t);
  b.Export("boom", ExternKind::Func, b.AddFunc(t, Op(Opcode::Call, {fb})));
  b.Export("exit", ExternKind::Func, b.AddFunc(t, Op(Opcode::Call, {fe})));
  Instance* inst = Instantiate(b);
  ASSERT_NE(inst, nullptr);
  for (int i = 0; i < 1000; ++i) {
    auto r = Call(inst, "boom");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::Trap);
    EXPECT_EQ(r.error().message, "boom");
  }
  auto e = Call(inst, "exit");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().kind, ErrorKind::Exit);
  EXPECT_EQ(e.error().exit_code, 3);
}

// A trap in wasm called from a host function unwinds only to that host function's call.
TEST_F(RuntimeTest, NestedTrapUnwindsToTheInnermostBoundary) {
  WasmModuleBuilder inner;
  uint32_t v_v = inner.AddType({}, {});
  inner.Export("trap", ExternKind::Func, inner.AddFunc(v_v, Op(Opcode::Unreachable)));
  Instance* trapper = Instantiate(inner);
  ASSERT_NE(trapper, nullptr);
  bool saw_trap = false;
  Function* cb = store_.CreateHostFunction(FuncType{{}, {kI32}}, [&](auto, std::span<Value> res) {
    auto r = store_.Call(trapper->GetFunction("trap"), {});
    saw_trap = !r.ok() && r.error().trap == TrapKind::Unreachable;
    res[0] = Value::I32(5);
    return Ok();
  });
  linker_.Define("env", "cb", cb);
  WasmModuleBuilder b;
  uint32_t v_i = b.AddType({}, {kI32});
  uint32_t f = b.ImportFunc("env", "cb", v_i);
  b.Export("run", ExternKind::Func,
           b.AddFunc(v_i, Cat({Op(Opcode::Call, {f}), I32Const(1), Op(Opcode::I32Add)})));
  Instance* inst = Instantiate(b);
  ASSERT_NE(inst, nullptr);
  auto r = Call(inst, "run");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(saw_trap);
  EXPECT_EQ((*r)[0].i32(), 6u);
}

}  // namespace
}  // namespace wasmgrind::test
