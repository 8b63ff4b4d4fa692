// ExplainLostDebugInfo (see lost_debug_info.h).
#include "vm/debug/lost_debug_info.h"

#include <string_view>

namespace wasmgrind {
namespace {

std::string_view Payload(const ModuleInfo& module, const CustomSection& section) {
  if (static_cast<uint64_t>(section.data_offset) + section.data_size > module.bytes.size())
    return {};
  return std::string_view(reinterpret_cast<const char*>(module.bytes.data()) + section.data_offset,
                          section.data_size);
}

// Which optimiser the producers section names, if any. The section is a list of
// (field, [(name, version)]) string pairs; a substring match on its payload finds a tool name
// without parsing it, and a false match would need a tool whose name contains "wasm-opt".
std::optional<std::string> OptimiserInProducers(const ModuleInfo& module) {
  const CustomSection* producers = module.FindCustom("producers");
  if (producers == nullptr) return std::nullopt;
  const std::string_view payload = Payload(module, *producers);
  for (std::string_view tool : {"wasm-opt", "binaryen"}) {
    if (payload.find(tool) != std::string_view::npos) return std::string(tool);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> ExplainLostDebugInfo(const ModuleInfo& module, const SourceMap& lines) {
  if (module.FindCustom(".debug_line") == nullptr || module.code_section_offset == 0) {
    return std::nullopt;  // no DWARF: nothing was lost, the program was built without -g
  }
  if (!lines.empty() || !lines.warning().empty())
    return std::nullopt;  // intact, or broken otherwise
  if (!module.names.functions.empty()) return std::nullopt;
  std::string text =
      "the module has DWARF debug info, but not one of its code addresses points into the "
      "code, and it has no name section: a tool rewrote the code after linking without "
      "updating them";
  if (std::optional<std::string> tool = OptimiserInProducers(module)) {
    text += " (its producers section names " + *tool + ")";
  } else {
    text +=
        ", as binaryen's wasm-opt does (clang runs it when it links at -O1 and above if "
        "wasm-opt is on PATH)";
  }
  text +=
      ". So functions are shown as func[N], without source lines, and wasmgrind cannot find the "
      "libc functions it runs natively. To keep the debug info, compile with -c and link "
      "without -O (clang --target=wasm32-wasi -O2 -g -c prog.c && clang --target=wasm32-wasi "
      "-g prog.o -o prog.wasm), or keep wasm-opt off PATH while linking.";
  return text;
}

}  // namespace wasmgrind
