// ReadDwarfFunctions: walks the DIE trees of .debug_info for subprograms with code.
#include "vm/debug/dwarf_functions.h"

#include <optional>

#include "vm/debug/dwarf_die.h"

namespace wasmgrind {

namespace {

// Nesting deeper than this is malformed (or adversarial) input; stop instead of recursing on.
constexpr int kMaxDepth = 64;

// Tags whose children may hold subprograms (C++ methods, nested functions, local classes).
bool MayContainFunctions(Dwarf_Half tag) {
  switch (tag) {
    case DW_TAG_compile_unit:
    case DW_TAG_partial_unit:
    case DW_TAG_namespace:
    case DW_TAG_module:
    case DW_TAG_class_type:
    case DW_TAG_structure_type:
    case DW_TAG_union_type:
    case DW_TAG_subprogram:
    case DW_TAG_lexical_block: return true;
    default: return false;
  }
}

class FunctionCollector {
 public:
  FunctionCollector(const DwarfObject& dwarf, std::vector<DwarfFunction>& out)
      : dwarf_(dwarf), debug_(dwarf.debug()), out_(out) {}

  // Visits `die` and its descendants.
  Result<void> Visit(Dwarf_Die die, int depth) {
    if (depth > kMaxDepth) return Error::Make(ErrorKind::Malformed, "DWARF: DIEs nest too deeply");
    Dwarf_Half tag = 0;
    DwarfError error(debug_);
    if (dwarf_tag(die, &tag, error.out()) != DW_DLV_OK)
      return error.ToError("DWARF: reading a tag");
    if (tag == DW_TAG_subprogram) AddFunction(die);
    if (!MayContainFunctions(tag)) return Ok();
    TRY_ASSIGN(DieHandle child, dwarf_.FirstChild(die));
    while (child) {
      TRY(Visit(child.get(), depth + 1));
      TRY_ASSIGN(child, dwarf_.NextSibling(child.get()));
    }
    return Ok();
  }

 private:
  // Records `die` if it has code. Problems with one DIE's attributes only skip that DIE.
  void AddFunction(Dwarf_Die die) {
    std::vector<DwarfRange> ranges = DieRanges(debug_, die, 0);
    if (ranges.empty()) return;
    std::optional<std::string> name = DieFunctionName(debug_, die);
    if (!name) return;
    out_.push_back(DwarfFunction{ranges.front().low, ranges.front().high, std::move(*name)});
  }

  const DwarfObject& dwarf_;
  Dwarf_Debug debug_;
  std::vector<DwarfFunction>& out_;
};

}  // namespace

Result<std::vector<DwarfFunction>> ReadDwarfFunctions(const DwarfObject& dwarf,
                                                      std::vector<std::string>& warnings) {
  std::vector<DwarfFunction> functions;
  FunctionCollector collector(dwarf, functions);
  TRY(dwarf.ForEachUnit([&](Dwarf_Die unit) -> Result<void> {
    if (Result<void> visited = collector.Visit(unit, 0); !visited.ok()) {
      warnings.push_back(visited.error().message);
    }
    return Ok();
  }));
  return functions;
}

}  // namespace wasmgrind
