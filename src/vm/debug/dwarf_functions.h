// ReadDwarfFunctions: the code ranges and names of the functions DWARF describes
// (DW_TAG_subprogram with a low_pc), for FunctionNames. Addresses are code-section relative, as
// in all wasm DWARF; subprograms of code the linker dropped (tombstone or zero low_pc) are left
// out.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vm/debug/dwarf_object.h"
#include "vm/result.h"

namespace wasmgrind {

struct DwarfFunction {
  uint32_t low_pc = 0;
  uint32_t high_pc = 0;  // one past the end
  std::string name;      // linkage name if DWARF has one, else the plain name; not demangled
};

// Every described function, in DIE order. A broken compile unit is skipped: its message goes to
// `warnings` and the other units are still read. Fails only if the unit list itself is broken.
Result<std::vector<DwarfFunction>> ReadDwarfFunctions(const DwarfObject& dwarf,
                                                      std::vector<std::string>& warnings);

}  // namespace wasmgrind
