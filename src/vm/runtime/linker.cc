// Linker: named definitions (module, name) -> Extern, and import resolution with the spec's
// external type matching (2.0): functions by equal type, tables by equal element type and
// limits subtyping, memories by limits subtyping, globals by equal type and mutability.
// Later definitions of the same name shadow earlier ones.
#include <fmt/format.h>

#include "vm/runtime/api.h"
#include "vm/runtime/instance.h"

namespace wasmgrind {
namespace {

// Spec "limits subtyping": the actual limits {min1, max1} match the declared {min2, max2} iff
// min1 >= min2 and, if max2 is declared, max1 is declared and max1 <= max2.
bool LimitsMatch(const Limits& actual, const Limits& declared) {
  if (actual.min < declared.min) return false;
  if (!declared.max) return true;
  return actual.max && *actual.max <= *declared.max;
}

bool ExternMatches(const Module& module, const Import& import, const Extern& e) {
  if (KindOf(e) != import.kind) return false;
  switch (import.kind) {
    case ExternKind::Func:
      return std::get<Function*>(e)->type_id() == module.type_id(import.type_index);
    case ExternKind::Table: {
      TableType actual = std::get<Table*>(e)->type();
      return actual.elem == import.table.elem && LimitsMatch(actual.limits, import.table.limits);
    }
    case ExternKind::Memory:
      return LimitsMatch(std::get<LinearMemory*>(e)->type().limits, import.memory.limits);
    case ExternKind::Global: return std::get<Global*>(e)->type() == import.global;
  }
  return false;
}

}  // namespace

void Linker::Define(std::string module, std::string name, Extern value) {
  defs_.emplace_back(std::move(module), std::move(name), value);
}

void Linker::DefineInstance(std::string module, const Instance& instance) {
  for (const auto& [name, value] : RuntimeAccess::State(instance).exports)
    defs_.emplace_back(module, name, value);
}

Result<Instance*> Linker::Instantiate(Store& store, std::shared_ptr<const Module> module) const {
  std::vector<Extern> imports;
  imports.reserve(module->info().imports.size());
  for (const Import& import : module->info().imports) {
    const Extern* found = nullptr;
    for (auto it = defs_.rbegin(); it != defs_.rend() && !found; ++it)
      if (std::get<0>(*it) == import.module && std::get<1>(*it) == import.name)
        found = &std::get<2>(*it);
    if (found == nullptr)
      return Error::Make(ErrorKind::Unlinkable,
                         fmt::format("unknown import \"{}\".\"{}\"", import.module, import.name));
    if (!ExternMatches(*module, import, *found))
      return Error::Make(
          ErrorKind::Unlinkable,
          fmt::format("incompatible import type \"{}\".\"{}\"", import.module, import.name));
    imports.push_back(*found);
  }
  return InstantiateModule(store, std::move(module), std::move(imports));
}

}  // namespace wasmgrind
