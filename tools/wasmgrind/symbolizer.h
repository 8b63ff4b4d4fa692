// Symbolizer: what the trap report and `disas` print for a position in a module: its label
// ("prog.wasm"), function names (name section > DWARF > func[N], demangled: FunctionNames) and
// source locations (DWARF line tables: SourceMap). Both tables are built on first use per
// module and cached, so a report with many frames in one module reads its DWARF once.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "api.h"
#include "function_names.h"
#include "source_map.h"

namespace wasmgrind {

class Symbolizer {
 public:
  // `label` names `module` in reports (e.g. the file name it was read from).
  void SetLabel(const Module* module, std::string label);

  std::string Label(const Module& module) const;  // "wasm" if none was set
  std::string FunctionName(const Module& module, uint32_t func_index);
  std::optional<SourceLocation> Source(const Module& module, uint32_t module_offset);
  const FunctionNames& Names(const Module& module);

 private:
  struct Tables {
    std::optional<FunctionNames> names;
    std::optional<SourceMap> sources;
  };
  Tables& TablesFor(const Module& module) { return tables_[&module]; }

  std::map<const Module*, std::string> labels_;
  std::map<const Module*, Tables> tables_;
};

}  // namespace wasmgrind
