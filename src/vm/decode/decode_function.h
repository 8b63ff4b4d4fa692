// DecodeFunction: the one way any consumer walks a function body. It reads each instruction
// with the FunctionBodyReader, validates it with the FunctionValidator, and only then hands it
// to the consumer, so a consumer (the JIT, a disassembler) sees valid code and never parses or
// validates bytes itself.
//
// A Consumer provides:
//   Result<void> OnInstr(const Instr& instr, const FunctionValidator& validator);
// OnInstr sees every instruction, including unreachable code (the validator's state tells
// whether the current frame is unreachable) and the function's final `end`.
#pragma once

#include "function_body_reader.h"
#include "function_validator.h"
#include "module_info.h"
#include "result.h"

namespace wasmgrind {

template <typename Consumer>
Result<void> DecodeFunction(const ModuleInfo& module, uint32_t defined_index, Consumer& consumer) {
  const FunctionBody& body = module.codes[defined_index];
  FunctionBodyReader reader(module, body);
  FunctionValidator validator(module, module.num_imported_funcs + defined_index);
  Instr instr;
  while (!reader.AtEnd()) {
    TRY(reader.Next(instr));
    TRY(validator.Validate(instr));
    TRY(consumer.OnInstr(instr, validator));
  }
  return validator.Finish(body.body_end);
}

// Validation only (e.g. `wasmgrind validate`, and tests).
Result<void> ValidateFunctionBody(const ModuleInfo& module, uint32_t defined_index);

}  // namespace wasmgrind
