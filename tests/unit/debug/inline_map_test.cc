// InlineMap: at -O2 every instruction of data/inlined.c's `main` (into which `weigh` and `scale`
// are inlined) has the inlined frames llvm-symbolizer --inlining prints, with DWARF 4 and 5; code
// built at -O0 and modules without DWARF have empty chains.
#include "vm/debug/inline_map.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "vm/decode/decode_function.h"
#include "wasm_compile_util.h"

namespace wasmgrind {
namespace {

using namespace test;

std::string Basename(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }

std::vector<uint32_t> InstructionOffsets(const ModuleInfo& module, uint32_t func_index) {
  struct Collector {
    std::vector<uint32_t> out;
    Result<void> OnInstr(const Instr& instr, const FunctionValidator&) {
      out.push_back(instr.offset);
      return Ok();
    }
  } collector;
  Result<void> walked = DecodeFunction(module, func_index - module.num_imported_funcs, collector);
  EXPECT_TRUE(walked.ok()) << walked.error().ToString();
  return collector.out;
}

// One frame as llvm-symbolizer prints it: "function" then "file:line:column".
struct SymbolizerFrame {
  std::string function;
  std::string location;  // basename:line:column
};

// llvm-symbolizer --inlining's frames for each of `addresses` (code-section relative).
std::vector<std::vector<SymbolizerFrame>> Symbolize(const std::string& tool,
                                                    const std::string& path,
                                                    const std::vector<uint32_t>& addresses) {
  std::string command = tool + " --inlining --obj=" + path;
  for (uint32_t a : addresses) command += " " + std::to_string(a);
  std::string log;
  EXPECT_TRUE(RunCommand(command, &log)) << command << "\n" << log;
  std::vector<std::vector<SymbolizerFrame>> out(1);
  std::istringstream in(log);
  std::string function, location;
  while (std::getline(in, function)) {
    if (function.empty()) {
      out.emplace_back();
      continue;
    }
    std::getline(in, location);
    out.back().push_back({function, Basename(location)});
  }
  while (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

class InlineMapDwarfTest : public ::testing::TestWithParam<const char*> {};

TEST_P(InlineMapDwarfTest, AgreesWithLlvmSymbolizer) {
  SKIP_WITHOUT_WASI_CLANG();
  std::optional<std::string> tool = FindTool({"llvm-symbolizer-14", "llvm-symbolizer"});
  if (!tool) GTEST_SKIP() << "llvm-symbolizer is not installed (Debian: llvm-14)";
  const std::string flags = GetParam();
  const std::string path =
      CompileWasm("clang", "inlined.c", flags + " -O2",
                  std::string("inlined") + (flags == "-g" ? "4" : "5") + ".wasm");
  ASSERT_FALSE(path.empty());
  std::optional<ModuleInfo> module = LoadModule(path);
  ASSERT_TRUE(module);
  const InlineMap map = InlineMap::Build(*module);
  const SourceMap lines = SourceMap::Build(*module);
  EXPECT_EQ(map.warning(), "");
  std::optional<uint32_t> main_index = FindFunction(*module, "main");
  if (!main_index) main_index = FindFunction(*module, "__main_argc_argv");
  ASSERT_TRUE(main_index);

  const std::vector<uint32_t> offsets = InstructionOffsets(*module, *main_index);
  std::vector<uint32_t> addresses;
  for (uint32_t offset : offsets) addresses.push_back(offset - module->code_section_offset);
  const auto expected = Symbolize(*tool, path, addresses);
  ASSERT_EQ(expected.size(), offsets.size());

  size_t inlined_instructions = 0, deepest = 0;
  for (size_t i = 0; i < offsets.size(); ++i) {
    const std::vector<InlinedCall> chain = map.Chain(offsets[i]);
    SCOPED_TRACE("address 0x" + fmt::format("{:x}", addresses[i]));
    ASSERT_EQ(chain.size() + 1, expected[i].size());
    std::optional<SourceLocation> location = lines.Lookup(offsets[i]);
    for (size_t f = 0; f < chain.size(); ++f) {
      EXPECT_EQ(chain[f].function, expected[i][f].function);
      if (location) {
        EXPECT_EQ(
            fmt::format("{}:{}:{}", Basename(location->file), location->line, location->column),
            expected[i][f].location);
      }
      location = chain[f].call_site;
    }
    if (location) {
      EXPECT_EQ(fmt::format("{}:{}:{}", Basename(location->file), location->line, location->column),
                expected[i].back().location);
    }
    if (!chain.empty()) ++inlined_instructions;
    deepest = std::max(deepest, chain.size());
  }
  // The program is built so that both callees are inlined, one into the other.
  EXPECT_GT(inlined_instructions, 0u);
  EXPECT_EQ(deepest, 2u);
}

INSTANTIATE_TEST_SUITE_P(Dwarf4And5, InlineMapDwarfTest, ::testing::Values("-g", "-gdwarf-5"),
                         [](const auto& info) {
                           return std::string(info.param) == "-g" ? "Dwarf4" : "Dwarf5";
                         });

TEST(InlineMapTest, NoInliningAtO0) {
  SKIP_WITHOUT_WASI_CLANG();
  const std::string path = CompileWasm("clang", "inlined.c", "-g -O0", "inlined0.wasm");
  ASSERT_FALSE(path.empty());
  std::optional<ModuleInfo> module = LoadModule(path);
  ASSERT_TRUE(module);
  const InlineMap map = InlineMap::Build(*module);
  std::optional<uint32_t> main_index = FindFunction(*module, "main");
  if (!main_index) main_index = FindFunction(*module, "__main_argc_argv");
  ASSERT_TRUE(main_index);
  for (uint32_t offset : InstructionOffsets(*module, *main_index))
    EXPECT_TRUE(map.Chain(offset).empty()) << "offset 0x" << std::hex << offset;
}

TEST(InlineMapTest, EmptyWithoutDwarf) {
  ModuleInfo module;
  const InlineMap map = InlineMap::Build(module);
  EXPECT_TRUE(map.empty());
  EXPECT_TRUE(map.Chain(100).empty());
}

}  // namespace
}  // namespace wasmgrind
