// Module: bytes -> ModuleInfo -> validated -> types interned -> native code. Immutable once
// built, so one Module may be instantiated any number of times, in any number of Stores of
// the same Engine.
#include <algorithm>
#include <memory>

#include "vm/c_stack.h"
#include "vm/debug/data_symbols.h"
#include "vm/debug/function_names.h"

#include "vm/decode/module_decoder.h"
#include "vm/decode/module_validator.h"
#include "vm/jit/compiled_code.h"
#include "vm/jit/engine.h"
#include "vm/jit/module_compiler.h"
#include "vm/runtime/api.h"

namespace wasmgrind {

struct Module::Impl {
  Engine* engine = nullptr;
  ModuleInfo info;
  std::vector<uint32_t> type_ids;  // canonical id of each of info.types
  std::unique_ptr<CompiledCode> code;
  std::optional<CStackRegion> c_stack;
  std::vector<DataSymbol> data_symbols;  // read for --memcheck only
};

Module::Module() : impl_(std::make_unique<Impl>()) {}
Module::~Module() = default;

Result<std::shared_ptr<const Module>> Module::Compile(Engine& engine, std::vector<uint8_t> bytes) {
  std::shared_ptr<Module> module(new Module);
  Impl& m = *module->impl_;
  m.engine = &engine;
  TRY_ASSIGN(m.info, DecodeModule(std::move(bytes)));
  TRY(ValidateModule(m.info));
  m.type_ids.reserve(m.info.types.size());
  for (const FuncType& type : m.info.types) m.type_ids.push_back(engine.InternType(type));
  // The functions the runtime replaces are found by name: where a stripped name section leaves
  // some unnamed, by DWARF's (memcheck's lookups then try exports too).
  FillLinkNames(m.info);
  m.c_stack = FindCStack(m.info);
  if (engine.options().memcheck) {
    // The DWARF variables name the data for reports, and the ones below the C stack say where
    // the .bss ends, which no data segment says: the stack check then guards it too.
    std::string warning;  // no DWARF, or broken: only the descriptions are poorer
    m.data_symbols = ReadDataSymbols(m.info, warning);
    if (m.c_stack) {
      uint32_t data_end = 0;
      for (const DataSymbol& s : m.data_symbols) {
        if (uint64_t{s.address} + s.size <= m.c_stack->top) {
          data_end = std::max(data_end, s.address + s.size);
        }
      }
      m.c_stack = FindCStack(m.info, data_end);
    }
  }
  TRY_ASSIGN(m.code, CompileModule(engine, m.info, m.type_ids, m.c_stack));
  return std::shared_ptr<const Module>(std::move(module));
}

const ModuleInfo& Module::info() const { return impl_->info; }
Engine& Module::engine() const { return *impl_->engine; }
const CompiledCode& Module::code() const { return *impl_->code; }
uint32_t Module::type_id(uint32_t type_index) const { return impl_->type_ids[type_index]; }
const std::optional<CStackRegion>& Module::c_stack() const { return impl_->c_stack; }
const std::vector<DataSymbol>& Module::data_symbols() const { return impl_->data_symbols; }

}  // namespace wasmgrind
