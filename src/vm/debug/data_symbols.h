// ReadDataSymbols: the global variables DWARF places in linear memory (DW_TAG_variable with a
// DW_AT_location of one DW_OP_addr / DW_OP_addrx), with their sizes from their types, so that
// memcheck can say "Address 0x.. is 0 bytes inside data symbol "name"" as Valgrind does from
// an ELF symbol table, and find where the .bss ends (wasm-ld gives it no data segment).
//
// Names are the linkage name where DWARF has one (C++ statics: "_ZL7storage", Valgrind's
// spelling), else the plain name. Variables whose size cannot be worked out from their type are
// left out, as are DIEs that cannot be read: this is best effort over the user's DWARF.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vm/module_info.h"

namespace wasmgrind {

struct DataSymbol {
  uint32_t address = 0;
  uint32_t size = 0;  // > 0
  std::string name;
};

// Sorted by address (duplicates, from several compile units declaring one variable, removed).
// `warning`: why nothing or not everything could be read; empty when all went well.
std::vector<DataSymbol> ReadDataSymbols(const ModuleInfo& module, std::string& warning);

}  // namespace wasmgrind
