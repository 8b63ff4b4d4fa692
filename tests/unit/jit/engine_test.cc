// The Engine and CompiledCode on their own, linked without the runtime: type interning, entry
// trampolines calling compiled code with a hand-made VMContext, the PC map / trap-site tables
// that fault reports build on, and runtime calls reaching whatever table the context holds.
#include <asmjit/x86.h>
#include <gtest/gtest.h>

#include <csetjmp>
#include <cstring>

#include "common/wat2wasm.h"
#include "vm/decode/module_decoder.h"
#include "vm/jit/code_memory.h"
#include "vm/jit/compiled_code.h"
#include "vm/jit/engine.h"
#include "vm/jit/module_compiler.h"
#include "vm/runtime_calls.h"
#include "vm/value.h"
#include "vm/vmcontext.h"

namespace wasmgrind::test {
namespace {

class JitTest : public testing::Test {
 protected:
  void SetUp() override {
    if (!HaveWat2Wasm()) GTEST_SKIP() << "wat2wasm is not installed";
  }

  // Decodes `wat` and compiles it with engine_ (bodies are validated as they compile).
  Result<std::unique_ptr<CompiledCode>> Compile(const std::string& wat, ModuleInfo* info_out) {
    TRY_ASSIGN(*info_out, DecodeModule(Wat2Wasm(wat)));
    type_ids_.clear();
    for (const FuncType& t : info_out->types) type_ids_.push_back(engine_.InternType(t));
    return CompileModule(engine_, *info_out, type_ids_);
  }

  Engine engine_;
  std::vector<uint32_t> type_ids_;
};

TEST(EngineTest, InternsTypesDensely) {
  Engine engine;
  FuncType a{{ValType::I32}, {ValType::I64}};
  FuncType b{{ValType::I32}, {}};
  EXPECT_EQ(engine.InternType(a), 0u);
  EXPECT_EQ(engine.InternType(b), 1u);
  EXPECT_EQ(engine.InternType(a), 0u);
  EXPECT_EQ(engine.TypeOf(1), b);
}

TEST_F(JitTest, CompiledCodeRunsWithHandMadeContext) {
  auto info = DecodeModule(Wat2Wasm(R"(
    (module
      (func (export "mix") (param i32 i64 f64) (result f64)
        (f64.add (f64.convert_i32_s (local.get 0))
                 (f64.mul (f64.convert_i64_s (local.get 1)) (local.get 2))))
      (func (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1))))
  )"));
  ASSERT_TRUE(info.ok()) << info.error().ToString();
  std::vector<uint32_t> ids;
  for (const FuncType& t : info->types) ids.push_back(engine_.InternType(t));
  auto code = CompileModule(engine_, *info, ids);
  ASSERT_TRUE(code.ok()) << code.error().ToString();
  ASSERT_EQ((*code)->num_functions(), 2u);

  VMStoreContext store_context;  // stack_limit 0: never exhausted
  VMContextHeader header;
  header.store_context = &store_context;
  auto* vmctx = reinterpret_cast<VMContext*>(&header);
  auto trampoline = engine_.EntryTrampolineFor(ids[info->func_types[0]]);
  ASSERT_TRUE(trampoline.ok());
  VMVal io[3];
  Value args[3] = {Value::I32(static_cast<uint32_t>(-3)), Value::I64(4), Value::F64(0.5)};
  for (int i = 0; i < 3; ++i) std::memcpy(io[i].bytes, &args[i].bits, 8);
  (*trampoline)(vmctx, (*code)->FunctionEntry(0), io, /*stack_limit=*/0);
  double result;
  std::memcpy(&result, io[0].bytes, 8);
  EXPECT_EQ(result, -1.0);

  // The division has a trap site and a PC map entry pointing at its wasm offset.
  const FunctionCodeInfo& div = (*code)->function(1);
  // The division by zero only: a leaf with a small frame has no stack check.
  ASSERT_EQ(div.trap_sites.size(), 1u);
  uintptr_t base = reinterpret_cast<uintptr_t>((*code)->CodeBase(1));
  bool found = false;
  for (const TrapSite& site : div.trap_sites) {
    EXPECT_EQ((*code)->TrapSiteAt(base + site.native_offset), &site);
    EXPECT_EQ((*code)->FunctionAt(base + site.native_offset), 1u);
    if (site.kind == TrapKind::IntegerDivideByZero) {
      found = true;
      const auto& body = info->codes[1];
      EXPECT_GE(site.wasm_offset, body.body_offset);
      EXPECT_LT(site.wasm_offset, body.body_end);
      EXPECT_EQ(info->bytes[site.wasm_offset], 0x6e) << "i32.div_u";
    }
  }
  EXPECT_TRUE(found);
  ASSERT_FALSE(div.pc_map.empty());
  EXPECT_EQ((*code)->WasmOffsetAt(base + div.pc_map.back().native_offset),
            div.pc_map.back().wasm_offset);
  uintptr_t block_end = base + div.code_offset + (*code)->BytesFrom(base + div.code_offset);
  EXPECT_FALSE((*code)->FunctionAt(block_end).has_value());
}

// Wasm code may clobber rbx (abi.h: the wasm convention's callee-saved set is r10-r15): the
// entry trampoline, a SysV function, must restore it for its C++ caller.
TEST(EngineTest, EntryTrampolineRestoresRbxThatWasmClobbers) {
  Engine engine;
  auto assemble = [&](auto emit) {
    asmjit::CodeHolder code;
    code.init(engine.code_memory().environment());
    asmjit::x86::Assembler a(&code);
    emit(a);
    auto block = engine.code_memory().Add(code, CodeMemory::kTrampolineOwner);
    EXPECT_TRUE(block.ok());
    return std::move(*block);
  };
  namespace x86 = asmjit::x86;
  // A () -> i32 "wasm function" that clobbers rbx.
  CodeBlock callee = assemble([](x86::Assembler& a) {
    a.xor_(x86::ebx, x86::ebx);
    a.mov(x86::eax, 7);
    a.ret();
  });
  // uint64_t harness(trampoline, code, io): calls the trampoline with rbx set, returns rbx.
  CodeBlock harness = assemble([](x86::Assembler& a) {
    a.push(x86::rbx);
    a.mov(x86::rbx, 0x5a5a5a5a12345678ull);
    a.mov(x86::rax, x86::rdi);
    a.xor_(x86::edi, x86::edi);
    a.xor_(x86::ecx, x86::ecx);  // stack limit 0: never exhausted
    a.call(x86::rax);
    a.mov(x86::rax, x86::rbx);
    a.pop(x86::rbx);
    a.ret();
  });
  auto trampoline = engine.EntryTrampolineFor(engine.InternType(FuncType{{}, {ValType::I32}}));
  ASSERT_TRUE(trampoline.ok());
  VMVal io[1];
  using Harness = uint64_t (*)(EntryTrampoline, const void*, VMVal*);
  uint64_t rbx = reinterpret_cast<Harness>(const_cast<uint8_t*>(harness.code()))(*trampoline,
                                                                                 callee.code(), io);
  EXPECT_EQ(rbx, 0x5a5a5a5a12345678ull);
  uint32_t result;
  std::memcpy(&result, io[0].bytes, 4);
  EXPECT_EQ(result, 7u);
}

TEST_F(JitTest, ValidationErrorsComeBackAsIs) {
  ModuleInfo info;
  auto code = Compile("(module (func (result i32) (i64.const 1)))", &info);
  ASSERT_FALSE(code.ok());
  EXPECT_EQ(code.error().kind, ErrorKind::Invalid);
}

// --- runtime calls go through the context's table (vm/runtime_calls.h) ---

// What the fake runtime calls saw. File-level: the table holds plain function pointers.
struct FakeRuntime {
  VMContext* vmctx = nullptr;
  uint32_t memory = 0, delta = 0;
  uint32_t trap_kind = 0;
  uintptr_t trap_return_address = 0;
  std::jmp_buf trapped;
};
FakeRuntime fake;

uint32_t FakeMemoryGrow(VMContext* vmctx, uint32_t memory, uint32_t delta) {
  fake.vmctx = vmctx;
  fake.memory = memory;
  fake.delta = delta;
  return 42;
}

// Leaves JIT code as the runtime's trap does (JIT frames hold no C++ objects).
[[noreturn]] void FakeTrap(VMContext* vmctx, uint32_t kind) {
  fake.vmctx = vmctx;
  fake.trap_kind = kind;
  fake.trap_return_address = reinterpret_cast<uintptr_t>(__builtin_return_address(0));
  std::longjmp(fake.trapped, 1);
}

void FakeCallHost(VMContext* ctx, VMVal* values) {
  fake.vmctx = ctx;
  uint32_t param;
  std::memcpy(&param, values[0].bytes, 4);
  uint64_t result = param + 1;
  std::memcpy(values[0].bytes, &result, 8);
}

VMRuntimeCalls FakeTable() {
  VMRuntimeCalls table;
  table.MemoryGrow = &FakeMemoryGrow;
  table.Trap = &FakeTrap;
  table.CallHost = &FakeCallHost;
  return table;
}

// A VMContext laid out by VMOffsets, zeroed but for its header.
struct HandMadeContext {
  HandMadeContext(const ModuleInfo& info, const VMRuntimeCalls* table)
      : storage(VMOffsets(info).size() / sizeof(uint64_t) + 1) {
    header()->runtime_calls = table;
    header()->store_context = &store_context;
  }
  VMContextHeader* header() { return reinterpret_cast<VMContextHeader*>(storage.data()); }
  VMContext* vmctx() { return reinterpret_cast<VMContext*>(storage.data()); }
  VMStoreContext store_context;  // stack_limit 0: never exhausted
  std::vector<uint64_t> storage;
};

TEST_F(JitTest, RuntimeCallsAndTrapsGoThroughTheContextsTable) {
  ModuleInfo info;
  auto code = Compile(R"((module (memory 1)
      (func (param i32) (result i32) (memory.grow (local.get 0)))
      (func unreachable)))",
                      &info);
  ASSERT_TRUE(code.ok()) << code.error().ToString();
  VMRuntimeCalls table = FakeTable();
  HandMadeContext context(info, &table);
  fake = {};

  auto grow = engine_.EntryTrampolineFor(type_ids_[info.func_types[0]]);
  ASSERT_TRUE(grow.ok());
  VMVal io[1];
  uint32_t delta = 7;
  std::memcpy(io[0].bytes, &delta, 4);
  (*grow)(context.vmctx(), (*code)->FunctionEntry(0), io, /*stack_limit=*/0);
  uint32_t result;
  std::memcpy(&result, io[0].bytes, 4);
  EXPECT_EQ(result, 42u) << "memory.grow returns what the table's MemoryGrow returned";
  EXPECT_EQ(fake.vmctx, context.vmctx());
  EXPECT_EQ(fake.memory, 0u);
  EXPECT_EQ(fake.delta, 7u);

  // The trap stub calls the table's Trap, and its return address is the recorded trap site.
  auto trap = engine_.EntryTrampolineFor(type_ids_[info.func_types[1]]);
  ASSERT_TRUE(trap.ok());
  if (setjmp(fake.trapped) == 0) {
    (*trap)(context.vmctx(), (*code)->FunctionEntry(1), io, /*stack_limit=*/0);
    FAIL() << "unreachable returned";
  }
  EXPECT_EQ(fake.trap_kind, static_cast<uint32_t>(TrapKind::Unreachable));
  EXPECT_EQ(fake.vmctx, context.vmctx());
  const TrapSite* site = (*code)->TrapSiteAt(fake.trap_return_address);
  ASSERT_NE(site, nullptr);
  EXPECT_EQ(site->kind, TrapKind::Unreachable);
}

// An entry trampoline's stack check and a host stub find the table in their context's first
// word too, whatever the context is (here neither is a VMContext).
TEST_F(JitTest, TrampolinesAndHostStubsCallThroughTheContextsTable) {
  VMRuntimeCalls table = FakeTable();
  struct HostContext {
    const VMRuntimeCalls* runtime_calls;
    int payload;
  } host{&table, 0};
  auto* host_vmctx = reinterpret_cast<VMContext*>(&host);
  uint32_t type = engine_.InternType(FuncType{{ValType::I32}, {ValType::I64}});
  auto stub = engine_.HostStubFor(type);
  ASSERT_TRUE(stub.ok());
  auto trampoline = engine_.EntryTrampolineFor(type);
  ASSERT_TRUE(trampoline.ok());
  fake = {};
  VMVal io[1];
  uint32_t param = 9;
  std::memcpy(io[0].bytes, &param, 4);
  (*trampoline)(host_vmctx, *stub, io, /*stack_limit=*/0);
  uint64_t result;
  std::memcpy(&result, io[0].bytes, 8);
  EXPECT_EQ(result, 10u) << "the host stub calls the table's CallHost";
  EXPECT_EQ(fake.vmctx, host_vmctx);

  // A limit above every stack address: the trampoline traps before its frame exists.
  if (setjmp(fake.trapped) == 0) {
    (*trampoline)(host_vmctx, *stub, io, /*stack_limit=*/UINTPTR_MAX);
    FAIL() << "the stack check did not trap";
  }
  EXPECT_EQ(fake.trap_kind, static_cast<uint32_t>(TrapKind::CallStackExhausted));
}

}  // namespace
}  // namespace wasmgrind::test
