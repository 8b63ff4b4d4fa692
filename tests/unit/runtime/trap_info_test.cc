// TrapInfo, the structured description of a trap attached to its Error: memory faults of every
// access width at, one past and far past the end of memory (wasm addresses beyond 4 GiB with a
// large static offset), after memory.grow and through an imported memory; explicit traps;
// stack exhaustion; host-function traps; backtraces through nested calls; faults on two
// threads at once; and 100,000 memory faults leak nothing.

#include <optional>
#include <thread>

#include "common/heap_growth.h"
#include "runtime_test_util.h"
#include "vm/jit/compiled_code.h"
#include "vm/trap_info.h"

namespace wasmgrind::test {
namespace {

struct Access {
  const char* name;
  Opcode op;
  uint32_t size;
  bool is_store;
  ValType value;  // stored value type (stores)
};

constexpr Access kAccesses[] = {
    {"i32.load8_u", Opcode::I32Load8U, 1, false, kI32},
    {"i32.load16_u", Opcode::I32Load16U, 2, false, kI32},
    {"i32.load", Opcode::I32Load, 4, false, kI32},
    {"i64.load", Opcode::I64Load, 8, false, kI64},
    {"f64.load", Opcode::F64Load, 8, false, kF64},
    {"i32.store8", Opcode::I32Store8, 1, true, kI32},
    {"i32.store16", Opcode::I32Store16, 2, true, kI32},
    {"i32.store", Opcode::I32Store, 4, true, kI32},
    {"i64.store", Opcode::I64Store, 8, true, kI64},
};

// (i32 addr) -> () performing `a` at addr + offset (loads drop their value).
Bytes AccessBody(const Access& a, uint64_t offset) {
  if (!a.is_store) return Cat({LocalGet(0), Op(a.op, {0, offset}), Op(Opcode::Drop)});
  Bytes value = a.value == kI64 ? I64Const(7) : I32Const(7);
  return Cat({LocalGet(0), value, Op(a.op, {0, offset})});
}

// Exports one function per access (and far_<name> with offset 0xffffffff), outer -> middle ->
// i32.load, grow, div, unreachable, bad_indirect, recurse, ping <-> pong, mem.
WasmModuleBuilder TrapInfoModule() {
  WasmModuleBuilder b;
  uint32_t i_v = b.AddType({kI32}, {});
  uint32_t v_v = b.AddType({}, {});
  uint32_t ii_i = b.AddType({kI32, kI32}, {kI32});
  uint32_t v_i = b.AddType({}, {kI32});
  b.AddMemory(1, 4);
  b.AddTable(1, 1);
  uint32_t next = 0;
  for (const Access& a : kAccesses) {
    next = b.AddFunc(i_v, AccessBody(a, 0));
    b.Export(a.name, ExternKind::Func, next);
    b.Export(std::string("far_") + a.name, ExternKind::Func,
             b.AddFunc(i_v, AccessBody(a, 0xffffffffu)));
  }
  uint32_t load32 = 0;
  for (size_t i = 0; i < std::size(kAccesses); ++i)
    if (std::string(kAccesses[i].name) == "i32.load") load32 = static_cast<uint32_t>(2 * i);
  uint32_t middle = b.AddFunc(i_v, Cat({LocalGet(0), Op(Opcode::Call, {load32})}));
  uint32_t outer = b.AddFunc(i_v, Cat({LocalGet(0), Op(Opcode::Call, {middle})}));
  b.Export("outer", ExternKind::Func, outer);
  b.Export("grow", ExternKind::Func,
           b.AddFunc(i_v, Cat({LocalGet(0), Op(Opcode::MemoryGrow, {0}), Op(Opcode::Drop)})));
  b.Export("div", ExternKind::Func,
           b.AddFunc(ii_i, Cat({LocalGet(0), LocalGet(1), Op(Opcode::I32DivS)})));
  b.Export("unreachable", ExternKind::Func, b.AddFunc(v_v, Op(Opcode::Unreachable)));
  uint32_t seven = b.AddFunc(v_i, I32Const(7));
  b.AddElem(I32Const(0), {seven});
  b.Export("bad_indirect", ExternKind::Func,
           b.AddFunc(v_v, Cat({I32Const(0), Op(Opcode::CallIndirect, {v_v, 0})})));
  uint32_t recurse = seven + 2;  // the next definition after bad_indirect
  EXPECT_EQ(b.AddFunc(v_v, Op(Opcode::Call, {recurse})), recurse);
  b.Export("recurse", ExternKind::Func, recurse);
  uint32_t ping = recurse + 1, pong = recurse + 2;
  EXPECT_EQ(b.AddFunc(v_v, Op(Opcode::Call, {pong})), ping);
  EXPECT_EQ(b.AddFunc(v_v, Op(Opcode::Call, {ping})), pong);
  b.Export("ping", ExternKind::Func, ping);
  b.Export("mem", ExternKind::Memory, 0);
  return b;
}

class TrapInfoTest : public RuntimeTest {
 protected:
  void SetUp() override {
    inst_ = Instantiate(TrapInfoModule());
    ASSERT_NE(inst_, nullptr);
  }

  const TrapInfo& ExpectTrapInfo(const Result<std::vector<Value>>& r, TrapKind kind) {
    static const TrapInfo kEmpty;
    EXPECT_FALSE(r.ok());
    if (r.ok()) return kEmpty;
    EXPECT_EQ(r.error().trap, kind) << r.error().message;
    EXPECT_NE(r.error().trap_info, nullptr);
    if (!r.error().trap_info) return kEmpty;
    EXPECT_EQ(r.error().trap_info->kind, kind);
    return *r.error().trap_info;
  }

  // `name` at wasm address `addr` must fault at wasm address `expected`.
  void ExpectFault(const std::string& name, uint32_t addr, uint64_t expected, const Access& a) {
    SCOPED_TRACE(name + " at " + std::to_string(addr));
    auto r = Call(inst_, name, {Value::I32(addr)});
    const TrapInfo& info = ExpectTrapInfo(r, TrapKind::MemoryOutOfBounds);
    EXPECT_EQ(info.signal, SIGSEGV);
    ASSERT_TRUE(info.memory_fault.has_value());
    const MemoryFault& m = *info.memory_fault;
    EXPECT_EQ(m.memory_index, 0u);
    EXPECT_EQ(m.wasm_address, expected);
    EXPECT_TRUE(m.effective_address);
    EXPECT_EQ(m.memory_size, inst_->memory(0)->size_bytes());
    EXPECT_EQ(m.access_size, a.size);
    EXPECT_EQ(m.is_store, a.is_store);
    EXPECT_EQ(info.instance, inst_);
    ASSERT_EQ(info.memories.size(), 1u);
    EXPECT_EQ(info.memories[0].host_base, reinterpret_cast<uintptr_t>(inst_->memory(0)->data()));
    ASSERT_FALSE(info.backtrace.empty());
    const std::vector<uint8_t>& bytes = inst_->module().info().bytes;
    EXPECT_EQ(bytes[info.backtrace[0].module_offset], Info(a.op).code);
    EXPECT_EQ(r.error().offset, info.backtrace[0].module_offset);
  }

  Instance* inst_ = nullptr;
};

TEST_F(TrapInfoTest, EveryWidthAtOnePastAndFarPastTheEnd) {
  for (const Access& a : kAccesses) {
    uint32_t size = static_cast<uint32_t>(inst_->memory(0)->size_bytes());
    auto ok = Call(inst_, a.name, {Value::I32(size - a.size)});  // the last valid bytes
    EXPECT_TRUE(ok.ok()) << a.name << ": " << ok.error().ToString();
    ExpectFault(a.name, size - a.size + 1, size - a.size + 1, a);  // one byte too far
    ExpectFault(a.name, size, size, a);
    ExpectFault(a.name, 0x80000000u, 0x80000000u, a);
    ExpectFault(a.name, 0xffffffffu, 0xffffffffu, a);
    // A static offset makes wasm addresses beyond 4 GiB.
    ExpectFault(std::string("far_") + a.name, 0xffffffffu, 0xffffffffull + 0xffffffffull, a);
    ExpectFault(std::string("far_") + a.name, 1, 0x100000000ull, a);
  }
}

TEST_F(TrapInfoTest, AfterGrowTheSizeAndBoundMove) {
  const Access& load = kAccesses[2];
  ASSERT_TRUE(Call(inst_, "grow", {Value::I32(2)}).ok());
  EXPECT_EQ(inst_->memory(0)->size_bytes(), 3u * 65536);
  EXPECT_TRUE(Call(inst_, "i32.load", {Value::I32(3 * 65536 - 4)}).ok());
  ExpectFault("i32.load", 3 * 65536 - 2, 3 * 65536 - 2, load);
}

TEST_F(TrapInfoTest, BacktraceThroughNestedCalls) {
  auto r = Call(inst_, "outer", {Value::I32(0x10000000)});
  const TrapInfo& info = ExpectTrapInfo(r, TrapKind::MemoryOutOfBounds);
  ASSERT_EQ(info.backtrace.size(), 3u);
  const std::vector<uint8_t>& bytes = inst_->module().info().bytes;
  EXPECT_EQ(bytes[info.backtrace[0].module_offset], 0x28);  // i32.load
  EXPECT_EQ(bytes[info.backtrace[1].module_offset], 0x10);  // call (middle -> load)
  EXPECT_EQ(bytes[info.backtrace[2].module_offset], 0x10);  // call (outer -> middle)
  EXPECT_EQ(info.backtrace[2].func_index, info.backtrace[1].func_index + 1);
  for (const TrapFrame& f : info.backtrace) EXPECT_EQ(f.module.get(), &inst_->module());
}

TEST_F(TrapInfoTest, ExplicitTraps) {
  const std::vector<uint8_t>& bytes = inst_->module().info().bytes;
  auto div0 = Call(inst_, "div", {Value::I32(1), Value::I32(0)});
  const TrapInfo& d = ExpectTrapInfo(div0, TrapKind::IntegerDivideByZero);
  EXPECT_EQ(d.signal, 0);
  ASSERT_EQ(d.backtrace.size(), 1u);
  EXPECT_EQ(bytes[d.backtrace[0].module_offset], 0x6d);
  EXPECT_FALSE(d.memory_fault.has_value());
  auto overflow = Call(inst_, "div", {Value::I32(0x80000000u), Value::I32(0xffffffffu)});
  EXPECT_EQ(
      bytes[ExpectTrapInfo(overflow, TrapKind::IntegerOverflow).backtrace.at(0).module_offset],
      0x6d);
  auto unreachable = Call(inst_, "unreachable");
  EXPECT_EQ(bytes[ExpectTrapInfo(unreachable, TrapKind::Unreachable).backtrace.at(0).module_offset],
            0x00);
  auto indirect = Call(inst_, "bad_indirect");
  EXPECT_EQ(bytes[ExpectTrapInfo(indirect, TrapKind::IndirectCallTypeMismatch)
                      .backtrace.at(0)
                      .module_offset],
            0x11);
}

// A trap's Error holds its Module (TrapInfo frames), so a caller may keep it longer than the
// Store and the Engine: the module's code must stay valid until the Error goes (code memory is
// shared by the code it holds; ASan checks the release).
TEST(TrapInfoLifetimeTest, AnErrorMayOutliveItsEngine) {
  std::optional<Error> kept;
  {
    Engine engine;
    Store store(engine);
    Linker linker;
    WasmModuleBuilder b;
    uint32_t f = b.AddFunc(b.AddType({}, {}), Op(Opcode::Unreachable));
    b.Export("f", ExternKind::Func, f);
    auto module = Module::Compile(engine, b.Build());
    ASSERT_TRUE(module.ok()) << module.error().ToString();
    auto inst = linker.Instantiate(store, *module);
    ASSERT_TRUE(inst.ok()) << inst.error().ToString();
    auto r = store.Call((*inst)->GetFunction("f"), {});
    ASSERT_FALSE(r.ok());
    kept = std::move(r).error();
  }
  ASSERT_NE(kept->trap_info, nullptr);
  const TrapFrame& top = kept->trap_info->backtrace.at(0);
  ASSERT_NE(top.module, nullptr);
  EXPECT_EQ(top.module->code().FunctionAt(top.pc), 0u);  // the code is still mapped and known
  kept.reset();  // releases the module's code into the code memory it kept alive
}

TEST_F(TrapInfoTest, StackExhaustionByDeepAndMutualRecursion) {
  for (const char* name : {"recurse", "ping"}) {
    auto r = Call(inst_, name);
    const TrapInfo& info = ExpectTrapInfo(r, TrapKind::CallStackExhausted);
    // Bounded: the innermost 48 JIT frames and the outermost 16 (one of them the entry
    // trampoline, which is not listed), with the count of those left out between them.
    EXPECT_EQ(info.backtrace.size(), 63u) << name;
    EXPECT_GT(info.frames_omitted, 1000u) << name;
    EXPECT_EQ(info.omitted_at, 48u) << name;
  }
  EXPECT_TRUE(Call(inst_, "i32.load", {Value::I32(0)}).ok());
}

TEST_F(RuntimeTest, ImportedMemoryFaultNamesTheImportingInstance) {
  WasmModuleBuilder exporter;
  exporter.AddMemory(1);
  exporter.Export("mem", ExternKind::Memory, 0);
  Instance* owner = Instantiate(exporter);
  ASSERT_NE(owner, nullptr);
  linker_.DefineInstance("env", *owner);
  WasmModuleBuilder b;
  uint32_t i_i = b.AddType({kI32}, {kI32});
  b.ImportMemory("env", "mem", 1);
  b.Export("load", ExternKind::Func,
           b.AddFunc(i_i, Cat({LocalGet(0), Op(Opcode::I32Load, {0, 16})})));
  Instance* user = Instantiate(b);
  ASSERT_NE(user, nullptr);
  auto r = Call(user, "load", {Value::I32(65536)});
  ASSERT_FALSE(r.ok());
  ASSERT_NE(r.error().trap_info, nullptr);
  const TrapInfo& info = *r.error().trap_info;
  EXPECT_EQ(info.instance, user);
  ASSERT_TRUE(info.memory_fault.has_value());
  EXPECT_EQ(info.memory_fault->wasm_address, 65536u + 16);
  EXPECT_EQ(info.memory_fault->memory_index, 0u);
  ASSERT_EQ(info.memories.size(), 1u);
  EXPECT_EQ(info.memories[0].host_base, reinterpret_cast<uintptr_t>(owner->memory(0)->data()));
}

// A host function that traps: the backtrace starts at the wasm call of the import.
TEST_F(RuntimeTest, HostFunctionTrapBacktraceStartsAtTheCall) {
  Function* boom = store_.CreateHostFunction(FuncType{{}, {}}, [](auto, auto) {
    return Result<void>(Error::FromTrap(TrapKind::HostTrap, "boom"));
  });
  linker_.Define("env", "boom", boom);
  WasmModuleBuilder b;
  uint32_t t = b.AddType({}, {});
  uint32_t fb = b.ImportFunc("env", "boom", t);
  uint32_t inner = b.AddFunc(t, Op(Opcode::Call, {fb}));
  b.Export("run", ExternKind::Func, b.AddFunc(t, Op(Opcode::Call, {inner})));
  Instance* inst = Instantiate(b);
  ASSERT_NE(inst, nullptr);
  auto r = Call(inst, "run");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "boom");
  ASSERT_NE(r.error().trap_info, nullptr);
  const TrapInfo& info = *r.error().trap_info;
  EXPECT_EQ(info.kind, TrapKind::HostTrap);
  ASSERT_EQ(info.backtrace.size(), 2u);
  const std::vector<uint8_t>& bytes = inst->module().info().bytes;
  EXPECT_EQ(bytes[info.backtrace[0].module_offset], 0x10);
  EXPECT_EQ(info.backtrace[0].func_index, inner);
  EXPECT_EQ(bytes[info.backtrace[1].module_offset], 0x10);
}

TEST_F(TrapInfoTest, FaultsOnTwoThreadsAtOnce) {
  auto module = Compile(TrapInfoModule());
  ASSERT_NE(module, nullptr);
  auto worker = [&](uint32_t base, int* failures) {
    Store store(engine_);
    auto inst = Linker().Instantiate(store, module);
    if (!inst.ok()) {
      ++*failures;
      return;
    }
    for (uint32_t i = 0; i < 3000; ++i) {
      uint32_t addr = base + i;
      auto r = store.Call((*inst)->GetFunction("i32.store"), std::vector<Value>{Value::I32(addr)});
      if (r.ok() || !r.error().trap_info || !r.error().trap_info->memory_fault ||
          r.error().trap_info->memory_fault->wasm_address != addr ||
          r.error().trap_info->instance != *inst)
        ++*failures;
    }
  };
  int failures[2] = {};
  std::thread a(worker, 0x100000u, &failures[0]);
  worker(0x200000u, &failures[1]);
  a.join();
  EXPECT_EQ(failures[0] + failures[1], 0);
}

TEST_F(TrapInfoTest, HundredThousandMemoryFaultsLeakNothing) {
  ExpectNoHeapGrowth([&](int n) {
    for (int i = 0; i < n; ++i) {
      auto r = Call(inst_, i % 2 == 0 ? "i32.load" : "i64.store", {Value::I32(0x7fffffff)});
      ASSERT_FALSE(r.ok());
      ASSERT_TRUE(r.error().trap_info && r.error().trap_info->memory_fault);
    }
  });
}

}  // namespace
}  // namespace wasmgrind::test
