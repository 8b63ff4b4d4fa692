// ReadInstr: decodes one instruction (opcode and immediates, by the opcode table's ImmKind)
// from a BinaryReader. Shared by the FunctionBodyReader and the constant-expression decoder so
// that there is exactly one place that knows the instruction encoding.
#pragma once

#include <cstdint>
#include <vector>

#include "vm/decode/binary_reader.h"
#include "vm/instr.h"
#include "vm/module_info.h"
#include "vm/result.h"

namespace wasmgrind {

// Reads the instruction at reader.position() into `out` (offset included). br_table targets go
// into `br_targets` (cleared first), which `out.br_targets` then points at. `module` supplies
// data_count for the "data count section required" rule.
Result<void> ReadInstr(BinaryReader& reader, const ModuleInfo& module, Instr& out,
                       std::vector<uint32_t>& br_targets);

}  // namespace wasmgrind
