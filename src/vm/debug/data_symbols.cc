// ReadDataSymbols (see data_symbols.h): a walk over the DIE trees of .debug_info.
#include "vm/debug/data_symbols.h"

#include <algorithm>
#include <optional>

#include "vm/debug/dwarf_die.h"
#include "vm/debug/dwarf_object.h"

namespace wasmgrind {

namespace {

// Nesting deeper than this is malformed (or adversarial) input; stop instead of recursing on.
constexpr int kMaxDepth = 64;
// Type chains (typedef of const of array of ...) longer than this are malformed.
constexpr int kMaxTypeHops = 16;

// Tags whose children may hold variables with a static address (function-local statics live
// in subprograms and lexical blocks; C++ namespaces hold namespace-scope ones).
bool MayContainVariables(Dwarf_Half tag) {
  switch (tag) {
    case DW_TAG_compile_unit:
    case DW_TAG_partial_unit:
    case DW_TAG_namespace:
    case DW_TAG_module:
    case DW_TAG_subprogram:
    case DW_TAG_lexical_block: return true;
    default: return false;
  }
}

Dwarf_Half TagOf(Dwarf_Debug debug, Dwarf_Die die) {
  Dwarf_Half tag = 0;
  DwarfError error(debug);
  return dwarf_tag(die, &tag, error.out()) == DW_DLV_OK ? tag : 0;
}

// The bytes of `die`'s DW_AT_location if it is one expression (not a location list).
std::optional<std::vector<uint8_t>> LocationExpression(Dwarf_Debug debug, Dwarf_Die die) {
  AttributeHandle attribute = Attribute(debug, die, DW_AT_location);
  if (!attribute) return std::nullopt;
  Dwarf_Half form = 0;
  DwarfError form_error(debug);
  if (dwarf_whatform(attribute.get(), &form, form_error.out()) != DW_DLV_OK) return std::nullopt;
  DwarfError error(debug);
  if (form == DW_FORM_exprloc) {
    Dwarf_Unsigned length = 0;
    Dwarf_Ptr bytes = nullptr;
    if (dwarf_formexprloc(attribute.get(), &length, &bytes, error.out()) != DW_DLV_OK) {
      return std::nullopt;
    }
    const auto* p = static_cast<const uint8_t*>(bytes);
    return std::vector<uint8_t>(p, p + length);
  }
  if (form == DW_FORM_block1 || form == DW_FORM_block2 || form == DW_FORM_block4 ||
      form == DW_FORM_block) {  // DWARF 2 and 3
    Dwarf_Block* block = nullptr;
    if (dwarf_formblock(attribute.get(), &block, error.out()) != DW_DLV_OK) return std::nullopt;
    const auto* p = static_cast<const uint8_t*>(block->bl_data);
    std::vector<uint8_t> out(p, p + block->bl_len);
    dwarf_dealloc(debug, block, DW_DLA_BLOCK);
    return out;
  }
  return std::nullopt;
}

// A variable at a fixed address: the expression is exactly DW_OP_addr (DWARF 4, 4-byte
// address) or DW_OP_addrx (DWARF 5, an index into .debug_addr).
std::optional<uint32_t> StaticAddress(Dwarf_Debug debug, Dwarf_Die die) {
  std::optional<std::vector<uint8_t>> expr = LocationExpression(debug, die);
  if (!expr || expr->empty()) return std::nullopt;
  const std::vector<uint8_t>& e = *expr;
  if (e[0] == DW_OP_addr && e.size() == 5) {
    return static_cast<uint32_t>(e[1] | e[2] << 8 | e[3] << 16 | static_cast<uint32_t>(e[4]) << 24);
  }
  if (e[0] == DW_OP_addrx) {
    uint64_t index = 0;
    size_t i = 1;
    for (int shift = 0; i < e.size() && shift < 64; shift += 7) {
      index |= static_cast<uint64_t>(e[i] & 0x7f) << shift;
      if ((e[i++] & 0x80) == 0) break;
    }
    if (i != e.size()) return std::nullopt;  // more than the one operation
    Dwarf_Unsigned address = 0;
    DwarfError error(debug);
    if (dwarf_debug_addr_index_to_addr(die, index, &address, error.out()) != DW_DLV_OK ||
        address > UINT32_MAX) {
      return std::nullopt;
    }
    return static_cast<uint32_t>(address);
  }
  return std::nullopt;
}

// The byte size of the type `die`'s DW_AT_type names: its DW_AT_byte_size, an array's element
// size times its counts, through typedefs and qualifiers; a pointer without a size is wasm32's.
std::optional<uint64_t> TypeSize(Dwarf_Debug debug, Dwarf_Die die, int hops) {
  if (hops > kMaxTypeHops) return std::nullopt;
  DieHandle type = FollowDieReference(debug, die, DW_AT_type);
  if (!type) return std::nullopt;
  if (auto size = DieUnsigned(debug, type.get(), DW_AT_byte_size)) return *size;
  switch (TagOf(debug, type.get())) {
    case DW_TAG_pointer_type:
    case DW_TAG_reference_type:
    case DW_TAG_rvalue_reference_type: return 4;
    case DW_TAG_typedef:
    case DW_TAG_const_type:
    case DW_TAG_volatile_type:
    case DW_TAG_restrict_type:
    case DW_TAG_atomic_type: return TypeSize(debug, type.get(), hops + 1);
    case DW_TAG_array_type: {
      std::optional<uint64_t> size = TypeSize(debug, type.get(), hops + 1);
      if (!size) return std::nullopt;
      Dwarf_Die child_raw = nullptr;
      DwarfError error(debug);
      if (dwarf_child(type.get(), &child_raw, error.out()) != DW_DLV_OK) return std::nullopt;
      DieHandle child(child_raw);
      bool counted = false;
      while (child) {
        if (TagOf(debug, child.get()) == DW_TAG_subrange_type) {
          std::optional<uint64_t> count = DieUnsigned(debug, child.get(), DW_AT_count);
          if (!count) {
            std::optional<uint64_t> upper = DieUnsigned(debug, child.get(), DW_AT_upper_bound);
            if (!upper) return std::nullopt;  // a flexible or variable-length array
            count = *upper + 1 - DieUnsigned(debug, child.get(), DW_AT_lower_bound).value_or(0);
          }
          if (*count > UINT32_MAX || *size * *count > UINT32_MAX) return std::nullopt;
          *size *= *count;
          counted = true;
        }
        Dwarf_Die next = nullptr;
        DwarfError next_error(debug);
        if (dwarf_siblingof_b(debug, child.get(), true, &next, next_error.out()) != DW_DLV_OK) {
          next = nullptr;
        }
        child.reset(next);
      }
      if (!counted) return std::nullopt;
      return size;
    }
    default: return std::nullopt;
  }
}

class DataSymbolCollector {
 public:
  DataSymbolCollector(const DwarfObject& dwarf, std::vector<DataSymbol>& out)
      : dwarf_(dwarf), debug_(dwarf.debug()), out_(out) {}

  Result<void> Visit(Dwarf_Die die, int depth) {
    if (depth > kMaxDepth) return Error::Make(ErrorKind::Malformed, "DWARF: DIEs nest too deeply");
    Dwarf_Half tag = TagOf(debug_, die);
    if (tag == DW_TAG_variable) AddVariable(die);
    if (!MayContainVariables(tag)) return Ok();
    TRY_ASSIGN(DieHandle child, dwarf_.FirstChild(die));
    while (child) {
      TRY(Visit(child.get(), depth + 1));
      TRY_ASSIGN(child, dwarf_.NextSibling(child.get()));
    }
    return Ok();
  }

 private:
  void AddVariable(Dwarf_Die die) {
    std::optional<uint32_t> address = StaticAddress(debug_, die);
    if (!address) return;
    // A definition of a declared variable (a C++ static member) names its declaration.
    DieHandle declaration = FollowDieReference(debug_, die, DW_AT_specification);
    Dwarf_Die described = declaration ? declaration.get() : die;
    std::optional<uint64_t> size = TypeSize(debug_, die, 0);
    if (!size && declaration) size = TypeSize(debug_, described, 0);
    if (!size || *size == 0 || *address + *size > (uint64_t{1} << 32)) return;
    std::optional<std::string> name = DieText(debug_, die, DW_AT_linkage_name);
    if (!name) name = DieText(debug_, described, DW_AT_linkage_name);
    if (!name) name = DieText(debug_, described, DW_AT_name);
    if (!name) return;
    out_.push_back(DataSymbol{*address, static_cast<uint32_t>(*size), std::move(*name)});
  }

  const DwarfObject& dwarf_;
  Dwarf_Debug debug_;
  std::vector<DataSymbol>& out_;
};

}  // namespace

std::vector<DataSymbol> ReadDataSymbols(const ModuleInfo& module, std::string& warning) {
  std::vector<DataSymbol> symbols;
  std::unique_ptr<DwarfObject> dwarf = DwarfObject::Open(module, warning);
  if (!dwarf) return symbols;
  DataSymbolCollector collector(*dwarf, symbols);
  dwarf->ForEachUnitTolerant([&](Dwarf_Die unit) { return collector.Visit(unit, 0); }, warning);
  std::sort(symbols.begin(), symbols.end(), [](const DataSymbol& a, const DataSymbol& b) {
    return a.address != b.address ? a.address < b.address : a.name < b.name;
  });
  symbols.erase(std::unique(symbols.begin(), symbols.end(),
                            [](const DataSymbol& a, const DataSymbol& b) {
                              return a.address == b.address && a.name == b.name;
                            }),
                symbols.end());
  return symbols;
}

}  // namespace wasmgrind
