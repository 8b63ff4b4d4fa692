// The Engine and CompiledCode on their own: type interning, entry trampolines calling compiled
// code with a hand-made VMContext (no runtime objects involved), and the PC map / trap-site
// tables that fault reports build on.
#include "compiled_code.h"
#include "engine.h"
#include "jit_test_util.h"
#include "module_compiler.h"
#include "module_decoder.h"

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
  (*trampoline)(vmctx, (*code)->FunctionEntry(0), io);
  double result;
  std::memcpy(&result, io[0].bytes, 8);
  EXPECT_EQ(result, -1.0);

  // The division has a trap site and a PC map entry pointing at its wasm offset.
  const FunctionCodeInfo& div = (*code)->function(1);
  ASSERT_EQ(div.trap_sites.size(), 2u);  // the stack check and the division by zero
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

TEST_F(JitTest, ValidationErrorsComeBackAsIs) {
  auto module = CompileWat("(module (func (result i32) (i64.const 1)))");
  ASSERT_FALSE(module.ok());
  EXPECT_EQ(module.error().kind, ErrorKind::Invalid);
}

}  // namespace
}  // namespace wasmgrind::test
