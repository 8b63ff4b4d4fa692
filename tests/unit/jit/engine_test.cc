// The Engine and CompiledCode on their own: type interning, entry trampolines calling compiled
// code with a hand-made VMContext (no runtime objects involved), and the PC map / trap-site
// tables that fault reports build on.
#include <asmjit/x86.h>

#include <cstring>

#include "vm/jit/code_memory.h"
#include "vm/jit/compiled_code.h"
#include "vm/jit/engine.h"
#include "jit_test_util.h"
#include "vm/jit/module_compiler.h"
#include "vm/decode/module_decoder.h"

namespace wasmgrind::test {
namespace {

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
  EXPECT_EQ((*code)->WasmOffsetAt(base + div.pc_map.back().native_offset), div.pc_map.back().wasm_offset);
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
  uint64_t rbx = reinterpret_cast<Harness>(const_cast<uint8_t*>(harness.code()))(*trampoline, callee.code(), io);
  EXPECT_EQ(rbx, 0x5a5a5a5a12345678ull);
  uint32_t result;
  std::memcpy(&result, io[0].bytes, 4);
  EXPECT_EQ(result, 7u);
}

TEST_F(JitTest, ValidationErrorsComeBackAsIs) {
  auto module = CompileWat("(module (func (result i32) (i64.const 1)))");
  ASSERT_FALSE(module.ok());
  EXPECT_EQ(module.error().kind, ErrorKind::Invalid);
}

}  // namespace
}  // namespace wasmgrind::test
