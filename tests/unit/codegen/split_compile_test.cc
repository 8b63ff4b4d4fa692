// A module compiled on several threads (EngineOptions::compile_threads): its functions are split
// into ranges with a code block each. Calls cross blocks through the VMFuncRefs, and every
// lookup by PC (function, wasm offset, trap site) finds the right block; a validation error is
// the lowest failing function's whatever thread found it.
#include <gtest/gtest.h>

#include "jit_test_util.h"
#include "vm/jit/compiled_code.h"
#include "vm/trap_info.h"

namespace wasmgrind::test {
namespace {

// Four functions, so four threads get one each: $fact recurses through $dec in another block,
// $chain calls across every block, $trap traps two blocks away from its caller.
constexpr const char* kModule = R"((module
  (func $fact (export "fact") (param i64) (result i64)
    local.get 0 i64.eqz
    if (result i64) i64.const 1
    else local.get 0 local.get 0 call $dec call $fact i64.mul end)
  (func $dec (param i64) (result i64) local.get 0 i64.const 1 i64.sub)
  (func $chain (export "chain") (param i32) (result i32)
    local.get 0 call $trap_if_zero i32.const 1 i32.add)
  (func $trap_if_zero (param i32) (result i32)
    local.get 0 i32.eqz if unreachable end
    i32.const 10 local.get 0 i32.div_u)
))";

class SplitCompileTest : public JitTest {
 protected:
  SplitCompileTest() {
    split_.compile_threads = 4;
    split_.compile_bytes_per_thread = 1;
  }
  EngineOptions split_;
};

TEST_F(SplitCompileTest, CallsAndTrapsAcrossBlocks) {
  Engine engine(split_);
  Store store(engine);
  Linker linker;
  auto module = Module::Compile(engine, Wat2Wasm(kModule));
  ASSERT_TRUE(module.ok()) << module.error().ToString();
  const CompiledCode& code = (*module)->code();
  ASSERT_EQ(code.num_functions(), 4u);
  for (uint32_t i = 1; i < 4; ++i) EXPECT_NE(code.function(i).block, code.function(i - 1).block);
  for (uint32_t i = 0; i < 4; ++i) {
    auto entry = reinterpret_cast<uintptr_t>(code.FunctionEntry(i));
    EXPECT_EQ(code.FunctionAt(entry), i);
    EXPECT_EQ(code.CodeBase(i) + code.function(i).code_offset, code.FunctionEntry(i));
  }

  auto inst = linker.Instantiate(store, *module);
  ASSERT_TRUE(inst.ok()) << inst.error().ToString();
  std::vector<Value> twenty = {Value::I64(20)}, three = {Value::I32(3)}, zero = {Value::I32(0)};
  auto fact = store.Call((*inst)->GetFunction("fact"), twenty);
  ASSERT_TRUE(fact.ok()) << fact.error().ToString();
  EXPECT_EQ(fact->front().i64(), 2432902008176640000ull);
  auto chain = store.Call((*inst)->GetFunction("chain"), three);
  ASSERT_TRUE(chain.ok()) << chain.error().ToString();
  EXPECT_EQ(chain->front().i32(), 4u);

  auto trap = store.Call((*inst)->GetFunction("chain"), zero);
  ASSERT_FALSE(trap.ok());
  EXPECT_EQ(trap.error().trap, TrapKind::Unreachable);
  ASSERT_NE(trap.error().trap_info, nullptr);
  const auto& frames = trap.error().trap_info->backtrace;
  ASSERT_GE(frames.size(), 2u);
  EXPECT_EQ(frames[0].func_index, 3u);  // $trap_if_zero, in the last block
  EXPECT_EQ((*module)->info().bytes[frames[0].module_offset], 0x00) << "unreachable";
  EXPECT_EQ(frames[1].func_index, 2u);  // $chain, in the block before
  EXPECT_EQ((*module)->info().bytes[frames[1].module_offset], 0x10) << "call";
}

TEST_F(SplitCompileTest, TheLowestInvalidFunctionIsReported) {
  // Functions 1 and 3 are invalid (an i64 where an i32 result is due); 1 must be named, though
  // its thread may finish last.
  constexpr const char* kInvalid = R"((module
    (func (result i32) i32.const 0)
    (func (result i32) i64.const 1)
    (func (result i32) i32.const 2)
    (func (result i32) i64.const 3)))";
  std::vector<uint8_t> bytes = Wat2Wasm(kInvalid);
  Engine engine(split_);
  auto split = Module::Compile(engine, bytes);
  Engine one_thread(EngineOptions{.compile_threads = 1});
  auto whole = Module::Compile(one_thread, bytes);
  ASSERT_FALSE(split.ok());
  ASSERT_FALSE(whole.ok());
  EXPECT_EQ(split.error().kind, ErrorKind::Invalid);
  EXPECT_EQ(split.error().offset, whole.error().offset);
  EXPECT_EQ(split.error().message, whole.error().message);
}

}  // namespace
}  // namespace wasmgrind::test
