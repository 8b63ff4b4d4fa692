// Symbolizer (see symbolizer.h).
#include "symbolizer.h"

#include "vm/debug/demangle.h"
#include "vm/debug/lost_debug_info.h"

namespace wasmgrind {

void Symbolizer::SetLabel(const Module* module, std::string label) {
  labels_[module] = std::move(label);
}

std::string Symbolizer::Label(const Module& module) const {
  auto it = labels_.find(&module);
  return it == labels_.end() ? "wasm" : it->second;
}

const FunctionNames& Symbolizer::Names(const Module& module) {
  Tables& t = TablesFor(module);
  if (!t.names) t.names = FunctionNames::Build(module.info());
  return *t.names;
}

std::string Symbolizer::FunctionName(const Module& module, uint32_t func_index) {
  return Names(module).Name(func_index);
}

const SourceMap& Symbolizer::Sources(const Module& module) {
  Tables& t = TablesFor(module);
  if (!t.sources) t.sources = SourceMap::Build(module.info());
  return *t.sources;
}

std::optional<SourceLocation> Symbolizer::Source(const Module& module, uint32_t module_offset) {
  return Sources(module).Lookup(module_offset);
}

std::optional<std::string> Symbolizer::LostDebugInfo(const Module& module) {
  return ExplainLostDebugInfo(module.info(), Sources(module));
}

std::vector<SourceFrame> Symbolizer::Frames(const Module& module, uint32_t func_index,
                                            uint32_t module_offset) {
  Tables& t = TablesFor(module);
  if (!t.inlines) t.inlines = InlineMap::Build(module.info());
  std::vector<SourceFrame> frames;
  std::optional<SourceLocation> location = Source(module, module_offset);
  // The line table gives the innermost callee's line; each inlined call gives its caller's.
  for (InlinedCall& call : t.inlines->Chain(module_offset)) {
    SourceFrame& f = frames.emplace_back();
    f.function = Demangle(call.function);
    if (f.function != call.function) f.linkage_name = call.function;
    f.source = std::move(location);
    f.inlined = true;
    location = std::move(call.call_site);
  }
  SourceFrame& f = frames.emplace_back();
  f.function = FunctionName(module, func_index);
  if (std::string linkage = Names(module).LinkageName(func_index); linkage != f.function) {
    f.linkage_name = std::move(linkage);
  }
  f.source = std::move(location);
  return frames;
}

}  // namespace wasmgrind
