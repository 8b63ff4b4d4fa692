// Symbolizer (see symbolizer.h).
#include "symbolizer.h"

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

std::optional<SourceLocation> Symbolizer::Source(const Module& module, uint32_t module_offset) {
  Tables& t = TablesFor(module);
  if (!t.sources) t.sources = SourceMap::Build(module.info());
  return t.sources->Lookup(module_offset);
}

}  // namespace wasmgrind
