// Module: bytes -> ModuleInfo -> validated -> types interned -> native code. Immutable once
// built, so one Module may be instantiated any number of times, in any number of Stores of
// the same Engine.
#include <memory>

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
  TRY_ASSIGN(m.code, CompileModule(engine, m.info, m.type_ids));
  return std::shared_ptr<const Module>(std::move(module));
}

const ModuleInfo& Module::info() const { return impl_->info; }
Engine& Module::engine() const { return *impl_->engine; }
const CompiledCode& Module::code() const { return *impl_->code; }
uint32_t Module::type_id(uint32_t type_index) const { return impl_->type_ids[type_index]; }

}  // namespace wasmgrind
