// FunctionNames: the name reports and the disassembler print for each function index, decided
// once per module:
//   1. the `name` section (ModuleInfo::names), but for the program's main, which clang names
//      __original_main or __main_argc_argv there and DWARF calls main;
//   2. DWARF: the DW_TAG_subprogram whose [low_pc, high_pc) holds the body's first instruction
//      (DW_AT_linkage_name, else DW_AT_name, following DW_AT_specification and
//      DW_AT_abstract_origin as C++ out-of-line definitions need);
//   3. for an import, "module.field";
//   4. "func[N]".
// C++ names are demangled. Immutable after Build, so safe to share between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vm/module_info.h"

namespace wasmgrind {

// ModuleInfo::link_names: for each defined function the name section leaves unnamed, DWARF's
// linkage name (as step 2 below finds it).
void FillLinkNames(ModuleInfo& module);

// The mangled name of a C++ allocation function of vm/memcheck_allocators.def, by its
// demangled spelling ("operator new(unsigned long)" -> "_Znwm"); nullopt for any other name.
std::optional<std::string_view> MangledAllocatorName(std::string_view demangled);

class FunctionNames {
 public:
  FunctionNames() = default;  // every function is "func[N]"
  static FunctionNames Build(const ModuleInfo& module);

  std::string Name(uint32_t func_index) const;
  // The name as the module spells it, before demangling ("_Znwm" for "operator new(unsigned
  // long)"): what Valgrind's suppressions name a frame by. "main" for the program's main. The
  // name section is demangled when wasm-ld wrote it (its default): the mangled name is then
  // DWARF's linkage name, or for the C++ allocation functions the one they are known by;
  // else there is none, and this is Name().
  std::string LinkageName(uint32_t func_index) const;
  // Why DWARF names could not be read (names from the other sources still apply); usually empty.
  const std::string& warning() const { return warning_; }

 private:
  std::vector<std::string> names_;  // by function index, imports first
  // By function index: the name before demangling where it differs from names_[i], else "".
  std::vector<std::string> linkage_names_;
  std::string warning_;
};

}  // namespace wasmgrind
