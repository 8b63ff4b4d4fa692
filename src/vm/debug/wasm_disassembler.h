// The wasm disassembler: decoded instructions as text-format lines ("i32.load offset=8 align=4",
// "call 3 <main>", "br_table 0 1 2", "f64.const 0x1.8p+0", "block (result i32)"), for
// `wasmgrind disas` and for the instruction a fault report shows. Text comes from the opcode
// table; bodies are walked with DecodeFunction, so nothing here parses bytes.
//
// Precondition for the functions that decode: ValidateModule(module) succeeded.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "vm/instr.h"
#include "vm/module_info.h"
#include "vm/result.h"

namespace wasmgrind {

class FunctionNames;

// One instruction, without offset or indentation. `names` (optional) names call and ref.func
// targets; without it ModuleInfo::FunctionName is used.
std::string FormatInstr(const Instr& instr, const ModuleInfo& module,
                        const FunctionNames* names = nullptr);

// Float immediates as the text format writes them: hex floats that round-trip exactly
// ("0x1.8p+0"), "inf", "-inf", "nan", "nan:0x200000".
std::string FormatF32(uint32_t bits);
std::string FormatF64(uint64_t bits);

// A whole defined function (`func_index` in the function index space, imports first): a header
// line, its locals, then one line per instruction, "offset: text", indented by block depth:
//   func[6] <main>: (i32, i32) -> (i32)
//    local[2..4] i32
//    0001a2: block (result i32)
//    0001a4:   local.get 0
//    ...
//    0001b0: end
Result<std::string> DisassembleFunction(const ModuleInfo& module, uint32_t func_index,
                                        const FunctionNames* names = nullptr);

// The defined function whose body holds `module_offset`, or nullopt.
std::optional<uint32_t> FunctionAtOffset(const ModuleInfo& module, uint32_t module_offset);

// The instruction starting at `module_offset`, decoded (its br_targets are not kept: empty), or
// nullopt if no function body holds it or it is not the start of an instruction.
std::optional<Instr> DecodeInstrAt(const ModuleInfo& module, uint32_t module_offset);

// The instruction starting at `module_offset` (a fault's wasm address), formatted; an error if
// no function body holds it or it is not the start of an instruction.
Result<std::string> FormatInstrAt(const ModuleInfo& module, uint32_t module_offset,
                                  const FunctionNames* names = nullptr);

}  // namespace wasmgrind
