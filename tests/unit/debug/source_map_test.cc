// SourceMap: wasm offsets of known instructions in data/store.c, compiled with clang at test
// time (DWARF 4 and 5), map to the right lines; every instruction of two of its functions maps
// as llvm-dwarfdump --lookup says; modules without DWARF or with broken DWARF give empty maps
// and warnings, and random corruption crashes neither SourceMap nor FunctionNames.
#include "vm/debug/source_map.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <regex>

#include "common/wasm_module_builder.h"
#include "vm/debug/function_names.h"
#include "vm/decode/decode_function.h"
#include "wasm_compile_util.h"

namespace wasmgrind {
namespace {

using namespace test;

// Offsets of every instruction of function `func_index`, and of those with opcode `op`.
struct BodyOffsets {
  std::vector<uint32_t> all;
  std::vector<uint32_t> matching;
};

BodyOffsets CollectOffsets(const ModuleInfo& module, uint32_t func_index, Opcode op) {
  if (func_index < module.num_imported_funcs || func_index >= module.func_types.size()) {
    ADD_FAILURE() << "function " << func_index << " has no body";
    return {};
  }
  struct Collector {
    Opcode op;
    BodyOffsets out;
    Result<void> OnInstr(const Instr& instr, const FunctionValidator&) {
      out.all.push_back(instr.offset);
      if (instr.op == op) out.matching.push_back(instr.offset);
      return Ok();
    }
  } collector{op, {}};
  Result<void> walked = DecodeFunction(module, func_index - module.num_imported_funcs, collector);
  EXPECT_TRUE(walked.ok()) << walked.error().ToString();
  return collector.out;
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string Basename(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }

class SourceMapDwarfTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    SKIP_WITHOUT_WASI_CLANG();
    const std::string flags = GetParam();
    path_ = CompileWasm("clang", "store.c", flags + " -O0",
                        std::string("store") + (flags == "-g" ? "4" : "5") + ".wasm");
    ASSERT_FALSE(path_.empty());
    std::optional<ModuleInfo> module = LoadModule(path_);
    ASSERT_TRUE(module);
    module_ = std::move(*module);
    map_ = SourceMap::Build(module_);
    EXPECT_EQ(map_.warning(), "");
    ASSERT_FALSE(map_.empty());
  }

  uint32_t Function(const std::string& name) {
    std::optional<uint32_t> index = FindFunction(module_, name);
    EXPECT_TRUE(index) << "no function named " << name;
    return index.value_or(0);
  }

  std::string path_;
  ModuleInfo module_;
  SourceMap map_;
};

TEST_P(SourceMapDwarfTest, StoreMapsToItsLine) {
  const BodyOffsets offsets = CollectOffsets(module_, Function("set_counter"), Opcode::I32Store);
  ASSERT_FALSE(offsets.matching.empty());
  // At -O0 the parameters are spilled first; `*slot = value` is the last store.
  std::optional<SourceLocation> location = map_.Lookup(offsets.matching.back());
  ASSERT_TRUE(location);
  EXPECT_TRUE(EndsWith(location->file, "store.c")) << location->file;
  EXPECT_EQ(location->line, 6u);
  EXPECT_EQ(location->column, 9u);

  // The first instruction belongs to the function's opening line.
  std::optional<SourceLocation> first = map_.Lookup(offsets.all.front());
  ASSERT_TRUE(first);
  EXPECT_EQ(first->line, 5u);
}

TEST_P(SourceMapDwarfTest, MultiplyMapsToItsLine) {
  const BodyOffsets offsets = CollectOffsets(module_, Function("twice"), Opcode::I32Mul);
  ASSERT_EQ(offsets.matching.size(), 1u);
  std::optional<SourceLocation> location = map_.Lookup(offsets.matching[0]);
  ASSERT_TRUE(location);
  EXPECT_EQ(location->line, 10u);
}

TEST_P(SourceMapDwarfTest, OffsetsOutsideCodeHaveNoLocation) {
  EXPECT_FALSE(map_.Lookup(0));
  EXPECT_FALSE(map_.Lookup(module_.code_section_offset));  // the function count
  EXPECT_FALSE(map_.Lookup(static_cast<uint32_t>(module_.bytes.size())));
}

// Every instruction of the program's own functions maps exactly as llvm-dwarfdump maps it.
TEST_P(SourceMapDwarfTest, AgreesWithLlvmDwarfdump) {
  std::optional<std::string> dwarfdump = FindTool({"llvm-dwarfdump-14", "llvm-dwarfdump"});
  if (!dwarfdump) GTEST_SKIP() << "llvm-dwarfdump is not installed";
  const std::regex line_info(R"(Line info: file '([^']*)', line (\d+), column (\d+))");
  // One llvm-dwarfdump run per instruction: two small functions are enough.
  for (const char* name : {"set_counter", "twice"}) {
    for (uint32_t offset : CollectOffsets(module_, Function(name), Opcode::Nop).all) {
      const uint32_t address = offset - module_.code_section_offset;
      std::string log;
      RunCommand(*dwarfdump + " --lookup=" + std::to_string(address) + " " + path_, &log);
      std::smatch match;
      std::optional<SourceLocation> ours = map_.Lookup(offset);
      if (!std::regex_search(log, match, line_info) || match[2] == "0") {
        EXPECT_FALSE(ours) << name << " at 0x" << std::hex << address << ": " << ours->file;
        continue;
      }
      ASSERT_TRUE(ours) << name << " at 0x" << std::hex << address;
      EXPECT_EQ(Basename(ours->file), Basename(match[1]))
          << name << " at 0x" << std::hex << address;
      EXPECT_EQ(std::to_string(ours->line), match[2]) << name << " at 0x" << std::hex << address;
      EXPECT_EQ(std::to_string(ours->column), match[3]) << name << " at 0x" << std::hex << address;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Dwarf4And5, SourceMapDwarfTest, ::testing::Values("-g", "-gdwarf-5"),
                         [](const auto& info) {
                           return std::string(info.param) == "-g" ? "Dwarf4" : "Dwarf5";
                         });

// The decoder records where the Code section's payload starts: DWARF addresses count from there.
TEST(SourceMapTest, DecoderRecordsCodeSectionOffset) {
  Result<ModuleInfo> module =
      DecodeModule(SingleFunctionModule(FuncTypeEntry({}, {}), {0x01, kEnd}));
  ASSERT_TRUE(module.ok());
  // Payload: function count (1 byte), body size (1 byte), local declaration count (1 byte).
  EXPECT_EQ(module->code_section_offset, module->codes[0].body_offset - 3);
  EXPECT_EQ(module->bytes[module->code_section_offset], 1u);
  Result<ModuleInfo> no_code = DecodeModule(WasmModuleBuilder().Build());
  ASSERT_TRUE(no_code.ok());
  EXPECT_EQ(no_code->code_section_offset, 0u);
}

TEST(SourceMapTest, ModuleWithoutDwarfIsEmpty) {
  Result<ModuleInfo> module = DecodeModule(SingleFunctionModule(FuncTypeEntry({}, {}), {kEnd}));
  ASSERT_TRUE(module.ok());
  SourceMap map = SourceMap::Build(*module);
  EXPECT_TRUE(map.empty());
  EXPECT_EQ(map.warning(), "");
  EXPECT_FALSE(map.Lookup(module->codes[0].body_offset));
}

TEST(SourceMapTest, StrippedDebugInfoIsEmpty) {
  SKIP_WITHOUT_WASI_CLANG();
  const std::string path =
      CompileWasm("clang", "store.c", "-g -O0 -Wl,--strip-debug", "nodebug.wasm");
  ASSERT_FALSE(path.empty());
  std::optional<ModuleInfo> module = LoadModule(path);
  ASSERT_TRUE(module);
  SourceMap map = SourceMap::Build(*module);
  EXPECT_TRUE(map.empty());
  EXPECT_EQ(map.warning(), "");
}

// The .debug_* payload named `name` of `module`, as a writable span of its bytes.
std::span<uint8_t> SectionBytes(ModuleInfo& module, const std::string& name) {
  const CustomSection* section = module.FindCustom(name);
  if (section == nullptr) return {};
  return std::span<uint8_t>(module.bytes.data() + section->data_offset, section->data_size);
}

class SourceMapMalformedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SKIP_WITHOUT_WASI_CLANG();
    const std::string path = CompileWasm("clang", "store.c", "-g -O0", "malformed.wasm");
    ASSERT_FALSE(path.empty());
    std::optional<ModuleInfo> module = LoadModule(path);
    ASSERT_TRUE(module);
    module_ = std::move(*module);
  }
  ModuleInfo module_;
};

TEST_F(SourceMapMalformedTest, BrokenUnitHeaderGivesEmptyMapAndWarning) {
  std::span<uint8_t> info = SectionBytes(module_, ".debug_info");
  ASSERT_GE(info.size(), 4u);
  std::memset(info.data(), 0xee, 4);  // a unit length running far past the section
  SourceMap map = SourceMap::Build(module_);
  EXPECT_TRUE(map.empty());
  EXPECT_NE(map.warning(), "");
}

TEST_F(SourceMapMalformedTest, BrokenLineTableGivesWarning) {
  std::span<uint8_t> line = SectionBytes(module_, ".debug_line");
  ASSERT_GE(line.size(), 4u);
  std::memset(line.data(), 0xee, 4);  // the first unit's line table length
  SourceMap map = SourceMap::Build(module_);
  EXPECT_NE(map.warning(), "");
}

TEST_F(SourceMapMalformedTest, RandomCorruptionNeverCrashes) {
  std::mt19937 random(12345);
  const std::vector<uint8_t> original = module_.bytes;
  int usable = 0;  // rounds whose corruption still left line rows to look up
  for (int round = 0; round < 200; ++round) {
    module_.bytes = original;
    for (const char* name : {".debug_info", ".debug_line", ".debug_abbrev", ".debug_str"}) {
      std::span<uint8_t> bytes = SectionBytes(module_, name);
      if (bytes.empty()) continue;
      for (int flips = 0; flips < 4; ++flips) {
        bytes[random() % bytes.size()] = static_cast<uint8_t>(random());
      }
    }
    SourceMap map = SourceMap::Build(module_);
    usable += !map.empty();
    (void)FunctionNames::Build(module_);  // walks the DIE trees the line tables hang off
    for (const FunctionBody& body : module_.codes) (void)map.Lookup(body.body_offset);
  }
  // The corruption must leave most maps partly readable, or this would only test the first check.
  EXPECT_GT(usable, 50);
}

}  // namespace
}  // namespace wasmgrind
