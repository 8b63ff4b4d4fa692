// ReadDataSymbols: the global variables of a clang-built program, their addresses and sizes as
// wasm-ld laid them out, in DWARF 4 and 5.
#include "vm/debug/data_symbols.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "wasm_compile_util.h"

namespace wasmgrind {
namespace {

using test::CompileWasm;
using test::LoadModule;

const DataSymbol* Find(const std::vector<DataSymbol>& symbols, const std::string& name) {
  auto it = std::find_if(symbols.begin(), symbols.end(),
                         [&](const DataSymbol& s) { return s.name == name; });
  return it == symbols.end() ? nullptr : &*it;
}

void CheckGlobals(const std::string& flags, const std::string& output) {
  const std::string path = CompileWasm("clang++", "globals.cc", flags, output);
  ASSERT_FALSE(path.empty());
  std::optional<ModuleInfo> module = LoadModule(path);
  ASSERT_TRUE(module);
  std::string warning;
  std::vector<DataSymbol> symbols = ReadDataSymbols(*module, warning);
  EXPECT_EQ(warning, "");
  ASSERT_TRUE(std::is_sorted(
      symbols.begin(), symbols.end(),
      [](const DataSymbol& a, const DataSymbol& b) { return a.address < b.address; }));
  struct Expected {
    const char* name;
    uint32_t size;
  };
  // C++ names are the linkage names, as Valgrind prints an ELF symbol; an extern variable of
  // C++ has none (its name is its symbol), a const or static one is internal ("_ZL"). clang gives a function-local static no linkage
  // name: it is named as in the source (Valgrind, from the ELF symbol: "_ZZ4NextvE5calls").
  for (const Expected& e :
       {Expected{"counter", 4}, Expected{"zeroed", 100}, Expected{"points", 3 * 2 * 12},
        Expected{"_ZL5table", 10}, Expected{"_ZL7storage", 8}, Expected{"_ZN8Registry5totalE", 8},
        Expected{"calls", 4}}) {
    const DataSymbol* s = Find(symbols, e.name);
    ASSERT_NE(s, nullptr) << e.name << " missing (" << flags << ")";
    EXPECT_EQ(s->size, e.size) << e.name;
    EXPECT_GE(s->address, 1024u) << e.name;  // wasm-ld's global base
  }
  // The initialised ones lie in the data segments, where the module says.
  const DataSymbol* counter = Find(symbols, "counter");
  bool in_segment = false;
  for (const DataSegment& d : module->datas) {
    const auto start = static_cast<uint32_t>(d.offset.instrs[0].bits);
    in_segment =
        in_segment || (counter->address >= start && counter->address < start + d.data_size);
  }
  EXPECT_TRUE(in_segment);
}

TEST(DataSymbolsTest, GlobalsOfEveryShapeInDwarf4) {
  SKIP_WITHOUT_WASI_CLANG();
  CheckGlobals("-g -O0", "globals4.wasm");
}

TEST(DataSymbolsTest, GlobalsInDwarf5UseAddressIndexes) {
  SKIP_WITHOUT_WASI_CLANG();
  CheckGlobals("-gdwarf-5 -O0", "globals5.wasm");
}

TEST(DataSymbolsTest, NoDwarfNoSymbols) {
  SKIP_WITHOUT_WASI_CLANG();
  const std::string path = CompileWasm("clang++", "globals.cc", "-O0", "globals_nodebug.wasm");
  ASSERT_FALSE(path.empty());
  std::optional<ModuleInfo> module = LoadModule(path);
  ASSERT_TRUE(module);
  std::string warning;
  EXPECT_TRUE(ReadDataSymbols(*module, warning).empty());
}

}  // namespace
}  // namespace wasmgrind
