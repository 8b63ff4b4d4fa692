// DecodeFunction: the one way any consumer walks a function body. It reads each instruction
// with the FunctionBodyReader, validates it with the FunctionValidator, and only then hands it
// to the consumer, so a consumer (the JIT, a disassembler) sees valid code and never parses or
// validates bytes itself.
//
// A Consumer provides one of:
//   Result<void> OnInstr(const Instr& instr, const FunctionValidator& validator);
//     sees every instruction, including unreachable code (the validator's state tells whether
//     the current frame is unreachable) and the function's final `end` (a disassembler);
//   Result<void> OnInstr(const Instr& instr, const FunctionValidator& validator,
//                        const LiveCode& live);
//     sees only the code that can run, and the else/end of every frame opened there
//     (live_code.h; V8's CALL_INTERFACE_IF_OK_AND_REACHABLE): a compiler, which then needs no
//     notion of dead code of its own. `live` tells whether code falls into an else/end.
// Precondition: ValidateModule(module) succeeded (the function's type index is in range).
// In unreachable code the validator's operand_types() may hold FunctionValidator::kUnknownType
// (never in live code: what runs, the spec types exactly).
#pragma once

#include <concepts>

#include "vm/decode/function_body_reader.h"
#include "vm/decode/function_validator.h"
#include "vm/decode/live_code.h"
#include "vm/module_info.h"
#include "vm/result.h"

namespace wasmgrind {

template <typename Consumer>
concept LiveCodeConsumer = requires(Consumer& consumer, const Instr& instr,
                                    const FunctionValidator& validator, const LiveCode& live) {
  { consumer.OnInstr(instr, validator, live) } -> std::same_as<Result<void>>;
};

// The spec decodes the whole module before validating anything, so a malformed body anywhere
// wins over an invalid one. Given a validation error, this scans every body's encoding and
// returns the first malformed error found, else `error` unchanged. Only the error path pays.
Error PreferMalformed(const ModuleInfo& module, Error error);

template <typename Consumer>
Result<void> DecodeFunction(const ModuleInfo& module, uint32_t defined_index, Consumer& consumer) {
  const FunctionBody& body = module.codes[defined_index];
  FunctionBodyReader reader(module, body);
  FunctionValidator validator(module, module.num_imported_funcs + defined_index);
  [[maybe_unused]] LiveCode live;  // only for a LiveCodeConsumer
  Instr instr;
  while (!reader.AtEnd()) {
    TRY(reader.Next(instr));
    if (Result<void> valid = validator.Validate(instr); !valid.ok()) {
      return PreferMalformed(module, std::move(valid).error());
    }
    if constexpr (LiveCodeConsumer<Consumer>) {
      const bool visit = live.Visits(instr);
      live.Update(instr);
      if (visit) TRY(consumer.OnInstr(instr, validator, live));
    } else {
      TRY(consumer.OnInstr(instr, validator));
    }
  }
  return validator.Finish(body.body_end);
}

// Validation only: for a body the JIT replaces with a call to native code (a libc function,
// see libc_replacements.h), and for tests.
Result<void> ValidateFunctionBody(const ModuleInfo& module, uint32_t defined_index);

}  // namespace wasmgrind
