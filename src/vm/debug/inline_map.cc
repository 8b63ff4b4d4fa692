// InlineMap: walks every compile unit's DIE tree for inlined subroutines (see inline_map.h).
#include "vm/debug/inline_map.h"

#include <algorithm>

#include "vm/debug/dwarf_die.h"
#include "vm/debug/dwarf_object.h"

namespace wasmgrind {
namespace {

// Nesting deeper than this is malformed (or adversarial) input.
constexpr int kMaxDepth = 64;

// Tags whose children may hold inlined subroutines.
bool MayContainInlined(Dwarf_Half tag) {
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
    case DW_TAG_inlined_subroutine: return true;
    default: return false;
  }
}

// The file names of one unit's line table, as libdwarf joins them with their directories.
class UnitFiles {
 public:
  UnitFiles(Dwarf_Debug debug, Dwarf_Die unit) : debug_(debug) {
    DwarfError error(debug);
    if (dwarf_srcfiles(unit, &files_, &count_, error.out()) != DW_DLV_OK) {
      files_ = nullptr;
      count_ = 0;
    }
    Dwarf_Half version = 0, offset_size = 0;
    if (dwarf_get_version_of_die(unit, &version, &offset_size) == DW_DLV_OK) version_ = version;
  }
  ~UnitFiles() {
    if (files_ == nullptr) return;
    for (Dwarf_Signed i = 0; i < count_; ++i) dwarf_dealloc(debug_, files_[i], DW_DLA_STRING);
    dwarf_dealloc(debug_, files_, DW_DLA_LIST);
  }
  UnitFiles(const UnitFiles&) = delete;
  UnitFiles& operator=(const UnitFiles&) = delete;

  // DW_AT_call_file numbers files as the line table does: from 1 before DWARF 5, from 0 since.
  std::string Name(uint64_t file_number) const {
    const uint64_t index = version_ >= 5 ? file_number : file_number - 1;
    if (version_ < 5 && file_number == 0) return "??";
    if (index >= static_cast<uint64_t>(count_)) return "??";
    return files_[index];
  }

 private:
  Dwarf_Debug debug_;
  char** files_ = nullptr;
  Dwarf_Signed count_ = 0;
  Dwarf_Half version_ = 4;
};

}  // namespace

class InlineMap::Builder {
 public:
  Builder(const DwarfObject& dwarf, InlineMap& map)
      : dwarf_(dwarf), debug_(dwarf.debug()), map_(map) {}

  Result<void> AddUnit(Dwarf_Die unit) {
    Dwarf_Addr base = 0;
    DwarfError error(debug_);
    if (dwarf_lowpc(unit, &base, error.out()) != DW_DLV_OK) base = 0;
    UnitFiles files(debug_, unit);
    return Visit(unit, files, base, UINT32_MAX, 0, 0);
  }

 private:
  Result<void> Visit(Dwarf_Die die, const UnitFiles& files, uint64_t base, uint32_t parent,
                     uint32_t depth, int nesting) {
    if (nesting > kMaxDepth)
      return Error::Make(ErrorKind::Malformed, "DWARF: DIEs nest too deeply");
    Dwarf_Half tag = 0;
    DwarfError error(debug_);
    if (dwarf_tag(die, &tag, error.out()) != DW_DLV_OK)
      return error.ToError("DWARF: reading a tag");
    if (tag == DW_TAG_subprogram) {
      parent = UINT32_MAX;
      depth = 0;
    }
    if (tag == DW_TAG_inlined_subroutine) {
      if (std::optional<uint32_t> added = AddCall(die, files, base, parent, depth)) {
        parent = *added;
        ++depth;
      }
    }
    if (!MayContainInlined(tag)) return Ok();
    TRY_ASSIGN(DieHandle child, dwarf_.FirstChild(die));
    while (child) {
      TRY(Visit(child.get(), files, base, parent, depth, nesting + 1));
      TRY_ASSIGN(child, dwarf_.NextSibling(child.get()));
    }
    return Ok();
  }

  // Records an inlined call with live code; its index, or nullopt if it has none.
  std::optional<uint32_t> AddCall(Dwarf_Die die, const UnitFiles& files, uint64_t base,
                                  uint32_t parent, uint32_t depth) {
    std::vector<DwarfRange> ranges = DieRanges(debug_, die, base);
    if (ranges.empty()) return std::nullopt;
    Call call;
    call.parent = parent;
    call.depth = depth;
    call.call.function = DieFunctionName(debug_, die).value_or("??");
    call.call.call_site.file = files.Name(DieUnsigned(debug_, die, DW_AT_call_file).value_or(0));
    call.call.call_site.line = static_cast<uint32_t>(
        std::min<uint64_t>(DieUnsigned(debug_, die, DW_AT_call_line).value_or(0), UINT32_MAX));
    call.call.call_site.column = static_cast<uint32_t>(
        std::min<uint64_t>(DieUnsigned(debug_, die, DW_AT_call_column).value_or(0), UINT32_MAX));
    const uint32_t index = static_cast<uint32_t>(map_.calls_.size());
    map_.calls_.push_back(std::move(call));
    for (const DwarfRange& r : ranges) map_.ranges_.push_back(Range{r.low, r.high, index});
    return index;
  }

  const DwarfObject& dwarf_;
  Dwarf_Debug debug_;
  InlineMap& map_;
};

InlineMap InlineMap::Build(const ModuleInfo& module) {
  InlineMap map;
  map.code_offset_ = module.code_section_offset;
  std::unique_ptr<DwarfObject> dwarf = DwarfObject::Open(module, map.warning_);
  if (!dwarf || module.code_section_offset == 0) return map;
  Builder builder(*dwarf, map);
  if (!dwarf->ForEachUnitTolerant([&](Dwarf_Die unit) { return builder.AddUnit(unit); },
                                  map.warning_)) {
    map.calls_.clear();
    map.ranges_.clear();
    return map;
  }
  std::sort(map.ranges_.begin(), map.ranges_.end(),
            [](const Range& a, const Range& b) { return a.low < b.low; });
  return map;
}

std::vector<InlinedCall> InlineMap::Chain(uint32_t module_offset) const {
  std::vector<InlinedCall> chain;
  if (ranges_.empty() || module_offset < code_offset_) return chain;
  const uint32_t address = module_offset - code_offset_;
  // The innermost call holding the address is the deepest one; its parents hold it too.
  auto end = std::upper_bound(ranges_.begin(), ranges_.end(), address,
                              [](uint32_t a, const Range& r) { return a < r.low; });
  uint32_t innermost = UINT32_MAX;
  for (auto it = ranges_.begin(); it != end; ++it) {
    if (address >= it->high) continue;
    if (innermost == UINT32_MAX || calls_[it->call].depth > calls_[innermost].depth)
      innermost = it->call;
  }
  // Bounded by the call count, so a cyclic parent chain (impossible when built) cannot hang.
  for (uint32_t i = innermost; i != UINT32_MAX && chain.size() < calls_.size();
       i = calls_[i].parent)
    chain.push_back(calls_[i].call);
  return chain;
}

}  // namespace wasmgrind
