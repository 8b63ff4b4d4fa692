// The module compiler's answer to an unsaved callee-saved register (saved_register_check.h):
// it compiles the function again saving the register, so the caller keeps its values. Run
// through the embedding API, so it lives with the code generator's tests.
#include <fstream>
#include <sstream>
#include <string>

#include "jit_test_util.h"

namespace wasmgrind::test {
namespace {

// The fuzzer's finding (tests/fuzz/findings/003-unsaved-callee-saved.wat): with the verifier on,
// $f2 moved a value into r10 around an idiv without saving it, and its caller's local in r10
// came back changed. The expected results are wasm-interp's and node's.
class UnsavedCalleeSavedFindingTest : public testing::TestWithParam<bool> {};

TEST_P(UnsavedCalleeSavedFindingTest, CallerKeepsItsRegisters) {
  if (!HaveWat2Wasm()) GTEST_SKIP() << "wat2wasm is not installed";
  std::ifstream in(std::string(WG_TESTS_DIR) + "/fuzz/findings/003-unsaved-callee-saved.wat");
  ASSERT_TRUE(in) << "missing finding file";
  std::stringstream wat;
  wat << in.rdbuf();
  EngineOptions options = TestEngineOptions();
  options.verify_jit_invariants = GetParam();
  Engine engine(options);
  Store store(engine);
  Linker linker;
  auto module = Module::Compile(engine, Wat2Wasm(wat.str()));
  ASSERT_TRUE(module.ok()) << module.error().ToString();
  auto inst = linker.Instantiate(store, *module);
  ASSERT_TRUE(inst.ok()) << inst.error().ToString();
  auto results = store.Call((*inst)->GetFunction("e1"), {});
  ASSERT_TRUE(results.ok()) << results.error().ToString();
  ASSERT_EQ(results->size(), 2u);
  EXPECT_EQ((*results)[0].bits, 59881u);
  EXPECT_EQ((*results)[1].bits, 12047809077443301299ull);
}

INSTANTIATE_TEST_SUITE_P(Verifier, UnsavedCalleeSavedFindingTest, testing::Bool(),
                         [](const auto& info) { return info.param ? "on" : "off"; });

}  // namespace
}  // namespace wasmgrind::test
