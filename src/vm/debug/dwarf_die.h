// Reading attributes of one DIE, shared by the DWARF readers of this layer (subprograms,
// inlined subroutines): text attributes, references to other DIEs, the name of a function
// along its specification / abstract-origin chain, and the code ranges a DIE covers (low/high
// pc, or DW_AT_ranges in DWARF 4 .debug_ranges and DWARF 5 .debug_rnglists).
//
// All of these treat a problem with one attribute as "absent": a fault reporter reading the
// user's DWARF skips what it cannot read rather than failing the whole module.
#pragma once

#include <cstdint>
#include <memory>
#include <type_traits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "vm/debug/dwarf_object.h"

namespace wasmgrind {

// Code-section relative addresses at or above this are wasm-ld's tombstones for dropped code;
// 0 is the Code section's function count, never an instruction (older linkers wrote 0).
inline bool IsDeadDwarfAddress(uint64_t address) { return address == 0 || address >= 0xfffffffe; }

struct AttributeDeleter {
  void operator()(Dwarf_Attribute attribute) const { dwarf_dealloc_attribute(attribute); }
};
using AttributeHandle = std::unique_ptr<std::remove_pointer_t<Dwarf_Attribute>, AttributeDeleter>;
// `die`'s `attribute`, or null if it has none (or it cannot be read).
AttributeHandle Attribute(Dwarf_Debug debug, Dwarf_Die die, Dwarf_Half attribute);

std::optional<std::string> DieText(Dwarf_Debug debug, Dwarf_Die die, Dwarf_Half attribute);
std::optional<uint64_t> DieUnsigned(Dwarf_Debug debug, Dwarf_Die die, Dwarf_Half attribute);
// The DIE that reference `attribute` of `die` points to, if any.
DieHandle FollowDieReference(Dwarf_Debug debug, Dwarf_Die die, Dwarf_Half attribute);
// The linkage name along the DW_AT_specification / DW_AT_abstract_origin chain, else the first
// plain DW_AT_name on it. Not demangled.
std::optional<std::string> DieFunctionName(Dwarf_Debug debug, Dwarf_Die die);

struct DwarfRange {
  uint32_t low = 0;
  uint32_t high = 0;  // one past the end
};
// The live code ranges of `die` (low_pc/high_pc or DW_AT_ranges); `unit_base` is the compile
// unit's low_pc, the base of DWARF 4 range lists. Dead (tombstoned) and empty ranges are left out.
std::vector<DwarfRange> DieRanges(Dwarf_Debug debug, Dwarf_Die die, uint64_t unit_base);

}  // namespace wasmgrind
