// ExplainLostDebugInfo: recognises a module whose debug info was wrecked after linking, and says
// what happened and how to build it so that reports have names and lines.
//
// The usual cause: at -O1 and above clang's link step runs binaryen's wasm-opt when it is on
// PATH. wasm-opt drops the `name` section and rewrites the code without updating DWARF, whose
// code addresses it sets to 0, so the .debug_* sections stay but describe nothing. Reports then
// show bare func[N] with no source lines, and the libc functions wasmgrind runs natively (found
// by name) are not found. The signs, all cheap to check: DWARF line tables present but not one
// live row (every sequence starts at address 0), no function names in a name section, and, if
// the module has a `producers` section naming wasm-opt or binaryen, that.
#pragma once

#include <optional>
#include <string>

#include "vm/debug/source_map.h"
#include "vm/module_info.h"

namespace wasmgrind {

// The explanation (several sentences, no trailing newline), or nullopt if the module's debug
// info is intact or was never there. `lines` is the module's SourceMap.
std::optional<std::string> ExplainLostDebugInfo(const ModuleInfo& module, const SourceMap& lines);

}  // namespace wasmgrind
