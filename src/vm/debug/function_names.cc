// FunctionNames: merges the name section, DWARF subprograms and import names into one table.
#include "vm/debug/function_names.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "vm/debug/demangle.h"
#include "vm/debug/dwarf_functions.h"
#include "vm/debug/dwarf_object.h"
#include "vm/memcheck_calls.h"

namespace wasmgrind {

namespace {

// DWARF's names for defined functions, by defined index (nullopt where DWARF has none).
std::vector<std::optional<std::string>> DwarfNames(const ModuleInfo& module, std::string& warning) {
  std::vector<std::optional<std::string>> names(module.codes.size());
  if (module.code_section_offset == 0) return names;
  std::unique_ptr<DwarfObject> dwarf = DwarfObject::Open(module, warning);
  if (!dwarf) return names;
  std::vector<std::string> warnings;
  Result<std::vector<DwarfFunction>> functions = ReadDwarfFunctions(*dwarf, warnings);
  if (!functions.ok()) {
    warning = functions.error().message;
    return names;
  }
  if (!warnings.empty()) warning = warnings.front();

  // A subprogram's low_pc is where its body starts (the local declarations), so the body's
  // first instruction lies inside [low_pc, high_pc). Sorted by low_pc, the candidate is the
  // last subprogram starting at or before that instruction.
  std::vector<DwarfFunction>& sorted = *functions;
  std::stable_sort(
      sorted.begin(), sorted.end(),
      [](const DwarfFunction& a, const DwarfFunction& b) { return a.low_pc < b.low_pc; });
  for (size_t i = 0; i < module.codes.size(); ++i) {
    const uint32_t first = module.codes[i].body_offset - module.code_section_offset;
    auto it = std::upper_bound(sorted.begin(), sorted.end(), first,
                               [](uint32_t a, const DwarfFunction& f) { return a < f.low_pc; });
    if (it == sorted.begin()) continue;
    const DwarfFunction& candidate = *std::prev(it);
    if (first < candidate.high_pc) names[i] = candidate.name;
  }
  return names;
}

// clang gives the program's `main` the symbol __original_main (main(void)) or __main_argc_argv
// (main(argc, argv)), which the name section shows; DWARF, the source and a native build's
// reports call it main (and Valgrind's stacks end there). wasi-libc's own weak
// __original_main, which calls the two-argument main, keeps its name: DWARF has that one too.
bool IsMainUnderItsSymbol(std::string_view symbol, const std::optional<std::string>& dwarf) {
  return (symbol == "__original_main" || symbol == "__main_argc_argv") && dwarf == "main";
}

// The mangled names of the C++ allocation functions (vm/memcheck_allocators.def), by their
// demangled spelling. wasm-ld writes the name section demangled and the C++ runtime's DWARF has
// no linkage names, yet these are the top frames of Valgrind's leak suppressions (fun:_Znwm).
const std::unordered_map<std::string, std::string_view>& KnownMangledNames() {
  static const std::unordered_map<std::string, std::string_view> names = [] {
    std::unordered_map<std::string, std::string_view> m;
    for (uint32_t row = 0; !McAllocatorName(row).empty(); ++row) {
      const std::string_view name = McAllocatorName(row);
      if (name.starts_with("_Z")) m.emplace(Demangle(name), name);
    }
    return m;
  }();
  return names;
}

}  // namespace

std::optional<std::string_view> MangledAllocatorName(std::string_view demangled) {
  const auto& names = KnownMangledNames();
  if (auto it = names.find(std::string(demangled)); it != names.end()) return it->second;
  return std::nullopt;
}

void FillLinkNames(ModuleInfo& module) {
  module.link_names.clear();
  std::vector<uint32_t> unnamed;
  for (uint32_t f = module.num_imported_funcs; f < module.func_types.size(); ++f) {
    if (!module.names.functions.contains(f)) unnamed.push_back(f);
  }
  if (unnamed.empty()) return;  // the name section names them all: nothing to read
  std::string warning;          // unreadable DWARF names nothing: the module runs as it is
  const std::vector<std::optional<std::string>> dwarf = DwarfNames(module, warning);
  for (uint32_t f : unnamed) {
    const uint32_t defined = f - module.num_imported_funcs;
    if (defined < dwarf.size() && dwarf[defined]) module.link_names.emplace(f, *dwarf[defined]);
  }
}

FunctionNames FunctionNames::Build(const ModuleInfo& module) {
  FunctionNames result;
  const uint32_t count = static_cast<uint32_t>(module.func_types.size());
  std::vector<std::optional<std::string>> dwarf_names = DwarfNames(module, result.warning_);

  // Imports come first in the function index space, in import order.
  std::vector<const Import*> imported_funcs;
  for (const Import& import : module.imports) {
    if (import.kind == ExternKind::Func) imported_funcs.push_back(&import);
  }

  result.names_.reserve(count);
  result.linkage_names_.resize(count);
  for (uint32_t index = 0; index < count; ++index) {
    const std::optional<std::string>* dwarf = nullptr;
    if (index >= module.num_imported_funcs &&
        index - module.num_imported_funcs < dwarf_names.size()) {
      dwarf = &dwarf_names[index - module.num_imported_funcs];
    }
    // The name as the module spells it; demangled below.
    const std::string* spelled = nullptr;
    if (auto it = module.names.functions.find(index); it != module.names.functions.end()) {
      if (dwarf != nullptr && IsMainUnderItsSymbol(it->second, *dwarf)) {
        result.names_.emplace_back("main");
        continue;
      }
      spelled = &it->second;
    } else if (dwarf != nullptr && *dwarf) {
      spelled = &**dwarf;
    }
    if (spelled != nullptr) {
      result.names_.push_back(Demangle(*spelled));
      if (result.names_.back() != *spelled) {
        result.linkage_names_[index] = *spelled;
      } else if (dwarf != nullptr && *dwarf && Demangle(**dwarf) != **dwarf) {
        // wasm-ld writes the name section demangled: the mangled name is DWARF's.
        result.linkage_names_[index] = **dwarf;
      } else if (std::optional<std::string_view> known = MangledAllocatorName(*spelled)) {
        result.linkage_names_[index] = *known;
      }
    } else if (index < imported_funcs.size()) {
      result.names_.push_back(
          fmt::format("{}.{}", imported_funcs[index]->module, imported_funcs[index]->name));
    } else {
      result.names_.push_back(fmt::format("func[{}]", index));
    }
  }
  return result;
}

std::string FunctionNames::Name(uint32_t func_index) const {
  if (func_index < names_.size()) return names_[func_index];
  return fmt::format("func[{}]", func_index);
}

std::string FunctionNames::LinkageName(uint32_t func_index) const {
  if (func_index < linkage_names_.size() && !linkage_names_[func_index].empty()) {
    return linkage_names_[func_index];
  }
  return Name(func_index);
}

}  // namespace wasmgrind
