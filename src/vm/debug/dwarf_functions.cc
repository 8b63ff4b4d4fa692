// ReadDwarfFunctions: walks the DIE trees of .debug_info for subprograms with code.
#include "dwarf_functions.h"

#include <memory>
#include <optional>

namespace wasmgrind {

namespace {

// Nesting deeper than this is malformed (or adversarial) input; stop instead of recursing on.
constexpr int kMaxDepth = 64;
// DW_AT_specification / DW_AT_abstract_origin hops followed to find a name.
constexpr int kMaxNameHops = 4;

struct AttributeDeleter {
  void operator()(Dwarf_Attribute attribute) const { dwarf_dealloc_attribute(attribute); }
};
using AttributeHandle = std::unique_ptr<std::remove_pointer_t<Dwarf_Attribute>, AttributeDeleter>;

bool IsDeadAddress(Dwarf_Addr address) { return address == 0 || address >= 0xfffffffe; }

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
    case DW_TAG_lexical_block:
      return true;
    default:
      return false;
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
    Dwarf_Addr low = 0, high = 0;
    Dwarf_Half form = 0;
    enum Dwarf_Form_Class form_class = DW_FORM_CLASS_UNKNOWN;
    DwarfError error(debug_);
    if (dwarf_lowpc(die, &low, error.out()) != DW_DLV_OK || IsDeadAddress(low)) return;
    DwarfError high_error(debug_);
    if (dwarf_highpc_b(die, &high, &form, &form_class, high_error.out()) != DW_DLV_OK) return;
    if (form_class == DW_FORM_CLASS_CONSTANT) high += low;  // DWARF 4+: a length
    if (high <= low || high > UINT32_MAX) return;
    std::optional<std::string> name = Name(die);
    if (!name) return;
    out_.push_back(
        DwarfFunction{static_cast<uint32_t>(low), static_cast<uint32_t>(high), std::move(*name)});
  }

  std::optional<std::string> Text(Dwarf_Die die, Dwarf_Half attribute) const {
    char* text = nullptr;
    DwarfError error(debug_);
    // dwarf_die_text points into the string sections; nothing to free.
    if (dwarf_die_text(die, attribute, &text, error.out()) != DW_DLV_OK || text == nullptr) {
      return std::nullopt;
    }
    return std::string(text);
  }

  // The DIE that `attribute` of `die` refers to, if any.
  DieHandle Follow(Dwarf_Die die, Dwarf_Half attribute) const {
    Dwarf_Attribute raw = nullptr;
    DwarfError error(debug_);
    if (dwarf_attr(die, attribute, &raw, error.out()) != DW_DLV_OK) return nullptr;
    AttributeHandle handle(raw);
    Dwarf_Off offset = 0;
    DwarfError ref_error(debug_);
    if (dwarf_global_formref(raw, &offset, ref_error.out()) != DW_DLV_OK) return nullptr;
    Dwarf_Die target = nullptr;
    DwarfError die_error(debug_);
    if (dwarf_offdie_b(debug_, offset, true, &target, die_error.out()) != DW_DLV_OK) return nullptr;
    return DieHandle(target);
  }

  // The linkage name along the specification/origin chain, else the first plain name on it.
  std::optional<std::string> Name(Dwarf_Die die) const {
    std::optional<std::string> plain;
    DieHandle owned;
    Dwarf_Die current = die;
    for (int hop = 0; hop <= kMaxNameHops && current != nullptr; ++hop) {
      if (auto linkage = Text(current, DW_AT_linkage_name)) return linkage;
      if (auto linkage = Text(current, DW_AT_MIPS_linkage_name)) return linkage;
      if (!plain) plain = Text(current, DW_AT_name);
      DieHandle next = Follow(current, DW_AT_specification);
      if (!next) next = Follow(current, DW_AT_abstract_origin);
      owned = std::move(next);
      current = owned.get();
    }
    return plain;
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
