// FunctionValidator: the spec's validation algorithm for one function body, one instruction at
// a time (operand stack of types, control stack of frames, polymorphic stack after
// unconditional branches). Errors are of kind Invalid, with the spec's wording
// ("type mismatch", "unknown local", ...) and the instruction's offset.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vm/instr.h"
#include "vm/module_info.h"
#include "vm/result.h"

namespace wasmgrind {

class FunctionValidator {
 public:
  struct ControlFrame {
    Opcode opcode =
        Opcode::Block;            // Block, Loop, If, Else (after `else`), or Block for the function
    std::vector<ValType> params;  // block's start types
    std::vector<ValType> results;  // block's end types
    uint32_t height = 0;           // operand stack height at entry (after popping params)
    bool unreachable = false;
    // Label types: what a branch to this frame carries (params for loops, results otherwise).
    const std::vector<ValType>& label_types() const {
      return opcode == Opcode::Loop ? params : results;
    }
  };

  // Stands for "any type" on the operand stack in unreachable code (the spec's Unknown). It
  // only ever appears while the current frame is unreachable.
  static constexpr ValType kUnknownType = static_cast<ValType>(0);

  FunctionValidator(const ModuleInfo& module, uint32_t func_index);

  Result<void> Validate(const Instr& instr);
  // Checks that the body ended exactly at `body_end` with every frame closed.
  Result<void> Finish(uint32_t body_end) const;

  // State after the last validated instruction.
  const std::vector<ValType>& locals() const { return locals_; }  // params then declared locals
  const std::vector<ControlFrame>& frames() const { return frames_; }
  const std::vector<ValType>& operand_types() const { return operands_; }
  bool unreachable() const { return !frames_.empty() && frames_.back().unreachable; }

 private:
  const ModuleInfo& module_;
  uint32_t func_index_;
  std::vector<ValType> locals_;
  std::vector<ControlFrame> frames_;
  std::vector<ValType> operands_;
  std::vector<ValType> scratch_;  // br_table: label values popped and pushed back

  Result<ValType> Pop();
  Result<ValType> Pop(ValType expected);
  Result<void> PopValues(const std::vector<ValType>& types);
  void PushValues(const std::vector<ValType>& types);
  Result<void> PushFrame(const Instr& instr);
  Result<void> PopFrame(const Instr& instr);
  void SetUnreachable();
  // One per OpCategory (opcode.h); Validate dispatches on the instruction's category.
  Result<void> ValidateControl(const Instr& instr);
  Result<void> ValidateCall(const Instr& instr);
  Result<void> ValidateParametric(const Instr& instr);
  Result<void> ValidateVariable(const Instr& instr);
  Result<void> ValidateMemory(const Instr& instr);
  Result<void> ValidateReference(const Instr& instr);
  Result<void> ValidateTable(const Instr& instr);
  // The fixed-signature instructions, typed from their opcodes.def signature; an instruction
  // without one is refused (kind Internal).
  Result<void> ValidateSignature(const Instr& instr);
  Error Fail(const Instr& instr, std::string message) const;
};

}  // namespace wasmgrind
