// DIE attribute helpers (see dwarf_die.h).
#include "vm/debug/dwarf_die.h"

#include <memory>
#include <type_traits>

namespace wasmgrind {
namespace {

// DW_AT_specification / DW_AT_abstract_origin hops followed to find a name.
constexpr int kMaxNameHops = 4;

void AddRange(uint64_t low, uint64_t high, std::vector<DwarfRange>& out) {
  if (IsDeadDwarfAddress(low) || high <= low || high > UINT32_MAX) return;
  out.push_back(DwarfRange{static_cast<uint32_t>(low), static_cast<uint32_t>(high)});
}

// DWARF 4: an offset into .debug_ranges; entries are relative to the current base address.
void ReadDebugRanges(Dwarf_Debug debug, Dwarf_Die die, Dwarf_Attribute attribute,
                     uint64_t unit_base, std::vector<DwarfRange>& out) {
  Dwarf_Off offset = 0;
  DwarfError error(debug);
  if (dwarf_global_formref(attribute, &offset, error.out()) != DW_DLV_OK) {
    Dwarf_Unsigned value = 0;
    DwarfError udata_error(debug);
    if (dwarf_formudata(attribute, &value, udata_error.out()) != DW_DLV_OK) return;
    offset = value;
  }
  Dwarf_Ranges* ranges = nullptr;
  Dwarf_Signed count = 0;
  Dwarf_Unsigned bytes = 0;
  Dwarf_Off real_offset = 0;
  DwarfError ranges_error(debug);
  if (dwarf_get_ranges_b(debug, offset, die, &real_offset, &ranges, &count, &bytes,
                         ranges_error.out()) != DW_DLV_OK) {
    return;
  }
  uint64_t base = unit_base;
  for (Dwarf_Signed i = 0; i < count; ++i) {
    const Dwarf_Ranges& r = ranges[i];
    if (r.dwr_type == DW_RANGES_END) break;
    if (r.dwr_type == DW_RANGES_ADDRESS_SELECTION) {
      base = r.dwr_addr2;
      continue;
    }
    // A tombstoned base makes every entry after it dead.
    if (IsDeadDwarfAddress(base) && base != 0) continue;
    AddRange(base + r.dwr_addr1, base + r.dwr_addr2, out);
  }
  dwarf_ranges_dealloc(debug, ranges, count);
}

// DWARF 5: .debug_rnglists; libdwarf computes the absolute ("cooked") addresses.
void ReadRangeLists(Dwarf_Debug debug, Dwarf_Attribute attribute, std::vector<DwarfRange>& out) {
  Dwarf_Half form = 0;
  DwarfError form_error(debug);
  if (dwarf_whatform(attribute, &form, form_error.out()) != DW_DLV_OK) return;
  Dwarf_Unsigned value = 0;
  DwarfError value_error(debug);
  if (form == DW_FORM_rnglistx) {
    if (dwarf_formudata(attribute, &value, value_error.out()) != DW_DLV_OK) return;
  } else {
    Dwarf_Off offset = 0;
    if (dwarf_global_formref(attribute, &offset, value_error.out()) != DW_DLV_OK) return;
    value = offset;
  }
  Dwarf_Rnglists_Head head = nullptr;
  Dwarf_Unsigned count = 0, global_offset = 0;
  DwarfError head_error(debug);
  if (dwarf_rnglists_get_rle_head(attribute, form, value, &head, &count, &global_offset,
                                  head_error.out()) != DW_DLV_OK) {
    return;
  }
  for (Dwarf_Unsigned i = 0; i < count; ++i) {
    unsigned length = 0, code = 0;
    Dwarf_Unsigned raw1 = 0, raw2 = 0, low = 0, high = 0;
    Dwarf_Bool unavailable = false;
    DwarfError entry_error(debug);
    if (dwarf_get_rnglists_entry_fields_a(head, i, &length, &code, &raw1, &raw2, &unavailable, &low,
                                          &high, entry_error.out()) != DW_DLV_OK) {
      break;
    }
    if (code == DW_RLE_end_of_list) break;
    if (code == DW_RLE_base_address || code == DW_RLE_base_addressx || unavailable) continue;
    AddRange(low, high, out);
  }
  dwarf_dealloc_rnglists_head(head);
}

}  // namespace

AttributeHandle Attribute(Dwarf_Debug debug, Dwarf_Die die, Dwarf_Half attribute) {
  Dwarf_Attribute raw = nullptr;
  DwarfError error(debug);
  if (dwarf_attr(die, attribute, &raw, error.out()) != DW_DLV_OK) return nullptr;
  return AttributeHandle(raw);
}

std::optional<std::string> DieText(Dwarf_Debug debug, Dwarf_Die die, Dwarf_Half attribute) {
  char* text = nullptr;
  DwarfError error(debug);
  // dwarf_die_text points into the string sections; nothing to free.
  if (dwarf_die_text(die, attribute, &text, error.out()) != DW_DLV_OK || text == nullptr) {
    return std::nullopt;
  }
  return std::string(text);
}

std::optional<uint64_t> DieUnsigned(Dwarf_Debug debug, Dwarf_Die die, Dwarf_Half attribute) {
  AttributeHandle handle = Attribute(debug, die, attribute);
  if (!handle) return std::nullopt;
  Dwarf_Unsigned value = 0;
  DwarfError error(debug);
  if (dwarf_formudata(handle.get(), &value, error.out()) != DW_DLV_OK) return std::nullopt;
  return value;
}

DieHandle FollowDieReference(Dwarf_Debug debug, Dwarf_Die die, Dwarf_Half attribute) {
  AttributeHandle handle = Attribute(debug, die, attribute);
  if (!handle) return nullptr;
  Dwarf_Off offset = 0;
  DwarfError ref_error(debug);
  if (dwarf_global_formref(handle.get(), &offset, ref_error.out()) != DW_DLV_OK) return nullptr;
  Dwarf_Die target = nullptr;
  DwarfError die_error(debug);
  if (dwarf_offdie_b(debug, offset, true, &target, die_error.out()) != DW_DLV_OK) return nullptr;
  return DieHandle(target);
}

std::optional<std::string> DieFunctionName(Dwarf_Debug debug, Dwarf_Die die) {
  std::optional<std::string> plain;
  DieHandle owned;
  Dwarf_Die current = die;
  for (int hop = 0; hop <= kMaxNameHops && current != nullptr; ++hop) {
    if (auto linkage = DieText(debug, current, DW_AT_linkage_name)) return linkage;
    if (auto linkage = DieText(debug, current, DW_AT_MIPS_linkage_name)) return linkage;
    if (!plain) plain = DieText(debug, current, DW_AT_name);
    DieHandle next = FollowDieReference(debug, current, DW_AT_specification);
    if (!next) next = FollowDieReference(debug, current, DW_AT_abstract_origin);
    owned = std::move(next);
    current = owned.get();
  }
  return plain;
}

std::vector<DwarfRange> DieRanges(Dwarf_Debug debug, Dwarf_Die die, uint64_t unit_base) {
  std::vector<DwarfRange> out;
  Dwarf_Addr low = 0;
  DwarfError low_error(debug);
  if (dwarf_lowpc(die, &low, low_error.out()) == DW_DLV_OK) {
    Dwarf_Addr high = 0;
    Dwarf_Half form = 0;
    enum Dwarf_Form_Class form_class = DW_FORM_CLASS_UNKNOWN;
    DwarfError high_error(debug);
    if (dwarf_highpc_b(die, &high, &form, &form_class, high_error.out()) != DW_DLV_OK) return out;
    if (form_class == DW_FORM_CLASS_CONSTANT) high += low;  // DWARF 4+: a length
    AddRange(low, high, out);
    return out;
  }
  AttributeHandle ranges = Attribute(debug, die, DW_AT_ranges);
  if (!ranges) return out;
  Dwarf_Half version = 0, offset_size = 0;
  if (dwarf_get_version_of_die(die, &version, &offset_size) != DW_DLV_OK) return out;
  if (version >= 5) {
    ReadRangeLists(debug, ranges.get(), out);
  } else {
    ReadDebugRanges(debug, die, ranges.get(), unit_base, out);
  }
  return out;
}

}  // namespace wasmgrind
