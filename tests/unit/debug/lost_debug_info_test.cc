// ExplainLostDebugInfo: a module whose debug info wasm-opt destroyed (checked in: binaryen is not
// installed where tests run) is recognised and explained with the fix; a module built the robust
// way (-c, then linked without -O), one without DWARF, and one with names are not.
#include "vm/debug/lost_debug_info.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "wasm_compile_util.h"

namespace wasmgrind {
namespace {

using namespace test;

std::optional<ModuleInfo> DamagedModule() {
  return LoadModule(std::string(WG_TESTS_DIR) + "/faults/data/wasm_opt_damaged.wasm");
}

std::optional<std::string> Explain(const ModuleInfo& module) {
  return ExplainLostDebugInfo(module, SourceMap::Build(module));
}

TEST(LostDebugInfoTest, WasmOptOutputIsExplained) {
  std::optional<ModuleInfo> module = DamagedModule();
  ASSERT_TRUE(module);
  std::optional<std::string> text = Explain(*module);
  ASSERT_TRUE(text);
  EXPECT_NE(text->find("wasm-opt"), std::string::npos) << *text;
  EXPECT_NE(text->find("compile with -c and link without -O"), std::string::npos) << *text;
}

TEST(LostDebugInfoTest, ProducersSectionNamingWasmOptIsQuoted) {
  std::optional<ModuleInfo> damaged = DamagedModule();
  ASSERT_TRUE(damaged);
  // Rename the module's own producers section and append one that names wasm-opt.
  std::vector<uint8_t> bytes = damaged->bytes;
  const std::string old_name = "producers";
  auto at = std::search(bytes.begin(), bytes.end(), old_name.begin(), old_name.end());
  ASSERT_NE(at, bytes.end());
  *(at + static_cast<std::ptrdiff_t>(old_name.size()) - 1) = 'z';
  static constexpr char kSection[] =
      "\x09producers\x01\x0cprocessed-by\x01\x08wasm-opt\x03"
      "108";
  const std::string payload(kSection, sizeof kSection - 1);
  bytes.push_back(0);  // custom section
  bytes.push_back(static_cast<uint8_t>(payload.size()));
  bytes.insert(bytes.end(), payload.begin(), payload.end());
  Result<ModuleInfo> module = DecodeModule(bytes);
  ASSERT_TRUE(module.ok()) << module.error().ToString();
  std::optional<std::string> text = Explain(*module);
  ASSERT_TRUE(text);
  EXPECT_NE(text->find("its producers section names wasm-opt"), std::string::npos) << *text;
}

TEST(LostDebugInfoTest, RobustBuildIsIntact) {
  SKIP_WITHOUT_WASI_CLANG();
  const std::string path = CompileWasm("clang", "inlined.c", "-g -O2", "robust.wasm");
  ASSERT_FALSE(path.empty());
  std::optional<ModuleInfo> module = LoadModule(path);
  ASSERT_TRUE(module);
  EXPECT_FALSE(Explain(*module));
}

TEST(LostDebugInfoTest, NoDwarfIsNotALoss) {
  SKIP_WITHOUT_WASI_CLANG();
  const std::string path = CompileWasm("clang", "inlined.c", "-O2 -Wl,--strip-all", "bare.wasm");
  ASSERT_FALSE(path.empty());
  std::optional<ModuleInfo> module = LoadModule(path);
  ASSERT_TRUE(module);
  EXPECT_FALSE(Explain(*module));
}

}  // namespace
}  // namespace wasmgrind
