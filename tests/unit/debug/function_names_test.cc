// FunctionNames: from the name section, from DWARF when the name section is gone, from imports,
// and func[N] when nothing names a function; C++ names demangled either way.
#include "vm/debug/function_names.h"

#include <gtest/gtest.h>

#include "common/wasm_module_builder.h"
#include "vm/debug/demangle.h"
#include "wasm_compile_util.h"

namespace wasmgrind {
namespace {

using namespace test;

TEST(DemangleTest, ItaniumNames) {
  EXPECT_EQ(Demangle("_ZN3foo3barEi"), "foo::bar(int)");
  EXPECT_EQ(Demangle("_ZN8geometry5ScaleEPNS_5PointEi"), "geometry::Scale(geometry::Point*, int)");
  EXPECT_EQ(Demangle("main"), "main");
  EXPECT_EQ(Demangle("_Znotmangled"), "_Znotmangled");
  EXPECT_EQ(Demangle(""), "");
}

// The names FunctionNames gives every function, by index.
std::vector<std::string> AllNames(const ModuleInfo& module, const FunctionNames& names) {
  std::vector<std::string> out;
  for (uint32_t i = 0; i < module.func_types.size(); ++i) out.push_back(names.Name(i));
  return out;
}

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

TEST(FunctionNamesTest, FromNameSection) {
  SKIP_WITHOUT_WASI_CLANG();
  const std::string path = CompileWasm("clang", "store.c", "-g -O0", "names.wasm");
  ASSERT_FALSE(path.empty());
  std::optional<ModuleInfo> module = LoadModule(path);
  ASSERT_TRUE(module);
  const FunctionNames names = FunctionNames::Build(*module);
  std::optional<uint32_t> index = FindFunction(*module, "set_counter");
  ASSERT_TRUE(index);
  EXPECT_EQ(names.Name(*index), "set_counter");
  EXPECT_EQ(names.Name(999999), "func[999999]");
}

// With the name section removed, DWARF's subprograms name the same functions.
TEST(FunctionNamesTest, FromDwarfWithoutNameSection) {
  SKIP_WITHOUT_WASI_CLANG();
  const std::string path = CompileWasm("clang", "store.c", "-g -O0", "dwarfnames.wasm");
  ASSERT_FALSE(path.empty());
  std::optional<ModuleInfo> module = LoadModule(path);
  ASSERT_TRUE(module);
  const NameSection from_name_section = module->names;
  module->names = NameSection{};  // as if stripped
  const FunctionNames names = FunctionNames::Build(*module);
  EXPECT_EQ(names.warning(), "");
  // DWARF has the source's names: wasi-libc's renaming of `main(void)` to __original_main
  // happens at the symbol level only.
  const std::pair<const char*, const char*> expected[] = {
      {"set_counter", "set_counter"}, {"twice", "twice"}, {"__original_main", "main"}};
  for (const auto& [symbol, source_name] : expected) {
    std::optional<uint32_t> index;
    for (const auto& [i, n] : from_name_section.functions) {
      if (n == symbol) index = i;
    }
    ASSERT_TRUE(index) << symbol;
    EXPECT_EQ(names.Name(*index), source_name);
  }
  // Imports have no DWARF: they are named after what they import.
  ASSERT_GT(module->num_imported_funcs, 0u);
  EXPECT_EQ(names.Name(0).find("wasi_snapshot_preview1."), 0u) << names.Name(0);
}

// The program's main is "main" as in its source, DWARF and a native report, under either of
// the symbols clang gives it (main(void): __original_main; main(argc, argv): __main_argc_argv,
// called through wasi-libc's own __original_main, which keeps its name).
TEST(FunctionNamesTest, TheProgramsMainIsMain) {
  SKIP_WITHOUT_WASI_CLANG();
  for (const char* source : {"store.c", "inlined.c"}) {
    SCOPED_TRACE(source);
    const std::string path =
        CompileWasm("clang", source, "-g -O0", std::string(source) + "-main.wasm");
    ASSERT_FALSE(path.empty());
    std::optional<ModuleInfo> module = LoadModule(path);
    ASSERT_TRUE(module);
    const FunctionNames names = FunctionNames::Build(*module);
    int mains = 0;
    for (const auto& [index, symbol] : module->names.functions) {
      if (names.Name(index) == "main") ++mains;
      if (symbol == "__original_main" && std::string(source) == "inlined.c") {
        EXPECT_EQ(names.Name(index), "__original_main");  // wasi-libc's, not the program's
      }
    }
    EXPECT_EQ(mains, 1);
  }
}

TEST(FunctionNamesTest, FromDwarfOfStrippedBinaryDemangled) {
  SKIP_WITHOUT_WASI_CLANG();
  std::optional<std::string> objcopy = FindTool({"llvm-objcopy-14", "llvm-objcopy"});
  if (!objcopy) GTEST_SKIP() << "llvm-objcopy is not installed";
  const std::string path =
      CompileWasm("clang++", "scale.cc", "-g -O0 -fno-exceptions -nostdlib++", "scale.wasm");
  ASSERT_FALSE(path.empty());
  const std::string stripped = (ScratchDir() / "scale-noname.wasm").string();
  std::string log;
  ASSERT_TRUE(RunCommand(*objcopy + " --remove-section=name " + path + " " + stripped, &log))
      << log;
  std::optional<ModuleInfo> module = LoadModule(stripped);
  ASSERT_TRUE(module);
  ASSERT_TRUE(module->names.functions.empty());
  const std::vector<std::string> names = AllNames(*module, FunctionNames::Build(*module));
  EXPECT_TRUE(Contains(names, "geometry::Scale(geometry::Point*, int)"))
      << ::testing::PrintToString(names);
  EXPECT_TRUE(Contains(names, "main")) << ::testing::PrintToString(names);
}

TEST(FunctionNamesTest, NoNamesGivesIndexNames) {
  SKIP_WITHOUT_WASI_CLANG();
  const std::string path = CompileWasm("clang", "store.c", "-O0 -Wl,--strip-all", "stripped.wasm");
  ASSERT_FALSE(path.empty());
  std::optional<ModuleInfo> module = LoadModule(path);
  ASSERT_TRUE(module);
  const FunctionNames names = FunctionNames::Build(*module);
  for (uint32_t i = module->num_imported_funcs; i < module->func_types.size(); ++i) {
    EXPECT_EQ(names.Name(i), "func[" + std::to_string(i) + "]");
  }
}

TEST(FunctionNamesTest, HandBuiltModule) {
  // Two imports, one defined function named by the name section, one unnamed.
  WasmModuleBuilder b;
  const uint32_t v_v = b.AddType({}, {});
  b.ImportFunc("env", "log", v_v);
  b.ImportFunc("env", "abort", v_v);
  b.AddFunc(v_v, {});
  b.AddFunc(v_v, {});
  b.Section(kCustomSection, Cat({Name("name"),
                                 {0x01},
                                 Uleb(1 + 1 + 1 + 13),  // function names subsection
                                 Uleb(1),
                                 Uleb(2),
                                 Name("_ZN3foo3barEi")}));
  const Bytes module_bytes = b.Build();
  Result<ModuleInfo> module = DecodeModule(module_bytes);
  ASSERT_TRUE(module.ok()) << module.error().ToString();
  const FunctionNames names = FunctionNames::Build(*module);
  EXPECT_EQ(names.Name(0), "env.log");
  EXPECT_EQ(names.Name(1), "env.abort");
  EXPECT_EQ(names.Name(2), "foo::bar(int)");
  EXPECT_EQ(names.Name(3), "func[3]");
  EXPECT_EQ(FunctionNames().Name(7), "func[7]");
  // The names as the module spells them, for Valgrind's suppressions.
  EXPECT_EQ(names.LinkageName(2), "_ZN3foo3barEi");
  EXPECT_EQ(names.LinkageName(0), "env.log");
  EXPECT_EQ(names.LinkageName(3), "func[3]");
}

// wasm-ld writes the name section demangled (its default). The mangled name is then DWARF's
// linkage name; for the C++ allocation functions, whose DWARF in the C++ runtime has none,
// the name they are known by. Valgrind's suppressions name frames by these (fun:_Znwm).
TEST(FunctionNamesTest, LinkageNamesBehindADemangledNameSection) {
  SKIP_WITHOUT_WASI_CLANG();
  const std::string path =
      CompileWasm("clang++", "scale.cc", "-g -O0 -fno-exceptions", "scale-linkage.wasm");
  ASSERT_FALSE(path.empty());
  std::optional<ModuleInfo> module = LoadModule(path);
  ASSERT_TRUE(module);
  const FunctionNames names = FunctionNames::Build(*module);
  std::optional<uint32_t> scale = FindFunction(*module, "geometry::Scale(geometry::Point*, int)");
  ASSERT_TRUE(scale) << "the name section is not demangled";
  EXPECT_EQ(names.Name(*scale), "geometry::Scale(geometry::Point*, int)");
  EXPECT_EQ(names.LinkageName(*scale), "_ZN8geometry5ScaleEPNS_5PointEi");
  for (const auto& [index, symbol] : module->names.functions) {
    if (names.Name(index) == "main") {
      EXPECT_EQ(names.LinkageName(index), "main");
    }
  }

  // A name section naming operator new demangled, and no DWARF.
  WasmModuleBuilder b;
  const uint32_t i_i = b.AddType({ValType::I32}, {ValType::I32});
  b.AddFunc(i_i, {});
  b.AddFunc(i_i, {});
  const std::string new_name = "operator new(unsigned long)";
  const std::string other = "geometry::Scale(geometry::Point*, int)";
  b.Section(kCustomSection,
            Cat({Name("name"),
                 {0x01},
                 Uleb(1 + 1 + new_name.size() + 1 + 1 + other.size() + 1),  // function names
                 Uleb(2),
                 Uleb(0),
                 Name(new_name),
                 Uleb(1),
                 Name(other)}));
  Result<ModuleInfo> hand_built = DecodeModule(b.Build());
  ASSERT_TRUE(hand_built.ok()) << hand_built.error().ToString();
  const FunctionNames hand_names = FunctionNames::Build(*hand_built);
  EXPECT_EQ(hand_names.LinkageName(0), "_Znwm");
  EXPECT_EQ(hand_names.LinkageName(1), other);  // nothing tells its mangled name
}

}  // namespace
}  // namespace wasmgrind
