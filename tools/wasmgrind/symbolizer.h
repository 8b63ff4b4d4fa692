// Symbolizer: what the trap report and `disas` print for a position in a module: its label
// ("prog.wasm"), function names (name section > DWARF > func[N], demangled: FunctionNames) and
// source locations (DWARF line tables: SourceMap) and the inlined calls an instruction sits in
// (InlineMap). The tables are built on first use per module and cached, so a report with many
// frames in one module reads its DWARF once.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vm/debug/function_names.h"
#include "vm/debug/inline_map.h"
#include "vm/debug/source_map.h"
#include "vm/runtime/api.h"

namespace wasmgrind {

// One frame of source as a report prints it. An instruction of an optimised build can stand
// for several: the inlined callees it is in (innermost first), then the physical function.
struct SourceFrame {
  std::string function;  // demangled
  std::optional<SourceLocation> source;
  bool inlined = false;  // inlined into the next frame (same wasm instruction)
  // The function's name as the module spells it (mangled), if that differs from `function`.
  std::string linkage_name;
};

class Symbolizer {
 public:
  // `label` names `module` in reports (e.g. the file name it was read from).
  void SetLabel(const Module* module, std::string label);

  std::string Label(const Module& module) const;  // "wasm" if none was set
  std::string FunctionName(const Module& module, uint32_t func_index);
  std::optional<SourceLocation> Source(const Module& module, uint32_t module_offset);
  const FunctionNames& Names(const Module& module);
  // The frames the instruction at `module_offset` of function `func_index` stands for,
  // innermost first; the last one is the physical function (as llvm-symbolizer --inlining).
  std::vector<SourceFrame> Frames(const Module& module, uint32_t func_index,
                                  uint32_t module_offset);
  // Why the module's debug info is useless and how to rebuild it (lost_debug_info.h), or
  // nullopt if it is intact or absent.
  std::optional<std::string> LostDebugInfo(const Module& module);

 private:
  struct Tables {
    std::optional<FunctionNames> names;
    std::optional<SourceMap> sources;
    std::optional<InlineMap> inlines;
  };
  Tables& TablesFor(const Module& module) { return tables_[&module]; }
  const SourceMap& Sources(const Module& module);

  std::map<const Module*, std::string> labels_;
  std::map<const Module*, Tables> tables_;
};

}  // namespace wasmgrind
