// FunctionValidator core: the operand and control stacks of the spec's validation algorithm
// (appendix "Validation Algorithm"), control and call instructions, and every fixed-signature
// instruction typed from its opcodes.def signature. Validate dispatches on the opcode's
// category (opcodes.def); parametric, variable, memory, reference and table instructions are in
// function_validator_ops.cc.
//
// Invariants: frames_ is non-empty until the function's final `end`; operands_.size() >=
// frames_.back().height; kUnknownType is only pushed while the top frame is unreachable.
#include "vm/decode/function_validator.h"

#include <fmt/format.h>

#include "vm/decode/binary_reader.h"
#include "vm/decode/body_scanner.h"

namespace wasmgrind {

namespace {

// A signature string parsed once into types, so typing a numeric instruction is a few
// compares with no string work.
struct FixedSignature {
  uint8_t num_params = 0;
  uint8_t num_results = 0;
  bool fixed = false;
  ValType params[3] = {};
  ValType result = ValType::I32;
};

struct SignatureTable {
  FixedSignature rows[kOpcodeCount];
  constexpr SignatureTable() : rows() {
    for (uint32_t i = 0; i < kOpcodeCount; ++i) {
      std::string_view sig = kOpcodeInfo[i].signature;
      if (sig.empty()) continue;
      FixedSignature& row = rows[i];
      row.fixed = true;
      size_t colon = sig.find(':');
      for (size_t k = 0; k < colon; ++k) row.params[row.num_params++] = SigLetterType(sig[k]);
      if (colon + 1 < sig.size()) {
        row.num_results = 1;
        row.result = SigLetterType(sig[colon + 1]);
      }
    }
  }
};

constexpr SignatureTable kSignatures;

// The categories Validate types by signature alone (and memory, whose rule checks indices and
// alignment and then defers to the signature) have one in every row.
constexpr bool SignatureCategoriesHaveSignatures() {
  for (const OpcodeInfo& info : kOpcodeInfo) {
    switch (info.category) {
      case OpCategory::Constant:
      case OpCategory::Integer:
      case OpCategory::Float:
      case OpCategory::Conversion:
      case OpCategory::Memory:
      case OpCategory::Bulk:
        if (info.signature.empty()) return false;
        break;
      default: break;
    }
  }
  return true;
}
static_assert(SignatureCategoriesHaveSignatures());

}  // namespace

FunctionValidator::FunctionValidator(const ModuleInfo& module, uint32_t func_index)
    : module_(module), func_index_(func_index) {
  const FuncType& type = module.func_type(func_index);
  const FunctionBody& body = module.codes[func_index - module.num_imported_funcs];
  locals_.reserve(type.params.size() + body.num_locals);
  locals_ = type.params;
  for (const LocalDecl& decl : body.locals) locals_.insert(locals_.end(), decl.count, decl.type);
  ControlFrame frame;
  frame.opcode = Opcode::Block;
  frame.results = type.results;
  frames_.push_back(std::move(frame));
  operands_.reserve(32);
}

Error FunctionValidator::Fail(const Instr& instr, std::string message) const {
  return Error::Make(ErrorKind::Invalid,
                     fmt::format("{} (in {} at `{}`)", message, module_.FunctionName(func_index_),
                                 OpcodeText(instr.op)),
                     instr.offset);
}

// The pops report errors without the instruction; Validate() adds its context.
Result<ValType> FunctionValidator::Pop() {
  const ControlFrame& frame = frames_.back();
  if (operands_.size() == frame.height) {
    if (frame.unreachable) return kUnknownType;
    return Error::Make(ErrorKind::Invalid, "type mismatch: operand stack is empty");
  }
  ValType t = operands_.back();
  operands_.pop_back();
  return t;
}

Result<ValType> FunctionValidator::Pop(ValType expected) {
  const ControlFrame& frame = frames_.back();
  if (operands_.size() == frame.height) {
    if (frame.unreachable) return kUnknownType;
    return Error::Make(ErrorKind::Invalid,
                       fmt::format("type mismatch: expected {} but nothing is on the stack",
                                   ValTypeName(expected)));
  }
  ValType actual = operands_.back();
  operands_.pop_back();
  if (actual != expected && actual != kUnknownType && expected != kUnknownType) {
    return Error::Make(ErrorKind::Invalid, fmt::format("type mismatch: expected {} but got {}",
                                                       ValTypeName(expected), ValTypeName(actual)));
  }
  // Unknown stays unknown: br_table pushes popped values back for its next label.
  return actual;
}

Result<void> FunctionValidator::PopValues(const std::vector<ValType>& types) {
  for (size_t i = types.size(); i-- > 0;) TRY(Pop(types[i]));
  return Ok();
}

void FunctionValidator::PushValues(const std::vector<ValType>& types) {
  operands_.insert(operands_.end(), types.begin(), types.end());
}

void FunctionValidator::SetUnreachable() {
  ControlFrame& frame = frames_.back();
  operands_.resize(frame.height);
  frame.unreachable = true;
}

Result<void> FunctionValidator::PushFrame(const Instr& instr) {
  ControlFrame frame;
  frame.opcode = instr.op;
  switch (instr.block.kind) {
    case BlockType::Kind::Empty: break;
    case BlockType::Kind::Value: frame.results.push_back(instr.block.value); break;
    case BlockType::Kind::TypeIndex:
      if (instr.block.type_index >= module_.types.size()) {
        return Fail(instr, fmt::format("unknown type {}", instr.block.type_index));
      }
      frame.params = module_.types[instr.block.type_index].params;
      frame.results = module_.types[instr.block.type_index].results;
      break;
  }
  if (instr.op == Opcode::If) TRY(Pop(ValType::I32));
  TRY(PopValues(frame.params));
  frame.height = static_cast<uint32_t>(operands_.size());
  PushValues(frame.params);
  frames_.push_back(std::move(frame));
  return Ok();
}

// Checks the frame's results are exactly what is on its part of the stack.
Result<void> FunctionValidator::PopFrame(const Instr& instr) {
  const ControlFrame& frame = frames_.back();
  TRY(PopValues(frame.results));
  if (operands_.size() != frame.height) {
    return Fail(instr,
                fmt::format("type mismatch: {} values left on the stack at the end of the block",
                            operands_.size() - frame.height));
  }
  return Ok();
}

Result<void> FunctionValidator::ValidateControl(const Instr& instr) {
  switch (instr.op) {
    case Opcode::Unreachable: SetUnreachable(); return Ok();
    case Opcode::Block:
    case Opcode::Loop:
    case Opcode::If: return PushFrame(instr);
    case Opcode::Else: {
      if (frames_.back().opcode != Opcode::If) {
        return BinaryReader::MakeError("END opcode expected", "`else` without a matching `if`",
                                       instr.offset);
      }
      TRY(PopFrame(instr));
      ControlFrame& frame = frames_.back();
      frame.opcode = Opcode::Else;
      frame.unreachable = false;
      PushValues(frame.params);
      return Ok();
    }
    case Opcode::End: {
      TRY(PopFrame(instr));
      ControlFrame frame = std::move(frames_.back());
      // An `if` without `else` has an implicit empty else, which must map params to results.
      if (frame.opcode == Opcode::If && frame.params != frame.results) {
        return Fail(instr,
                    "type mismatch: `if` without `else` must leave its parameters as results");
      }
      frames_.pop_back();
      PushValues(frame.results);
      return Ok();
    }
    case Opcode::Br: {
      if (instr.index >= frames_.size())
        return Fail(instr, fmt::format("unknown label {}", instr.index));
      TRY(PopValues(frames_[frames_.size() - 1 - instr.index].label_types()));
      SetUnreachable();
      return Ok();
    }
    case Opcode::BrIf: {
      if (instr.index >= frames_.size())
        return Fail(instr, fmt::format("unknown label {}", instr.index));
      TRY(Pop(ValType::I32));
      const std::vector<ValType>& types = frames_[frames_.size() - 1 - instr.index].label_types();
      TRY(PopValues(types));
      PushValues(types);
      return Ok();
    }
    case Opcode::BrTable: {
      TRY(Pop(ValType::I32));
      const uint32_t default_depth = instr.br_targets.back();
      if (default_depth >= frames_.size()) {
        return Fail(instr, fmt::format("unknown label {}", default_depth));
      }
      const std::vector<ValType>& default_types =
          frames_[frames_.size() - 1 - default_depth].label_types();
      for (size_t i = 0; i + 1 < instr.br_targets.size(); ++i) {
        const uint32_t depth = instr.br_targets[i];
        if (depth >= frames_.size()) return Fail(instr, fmt::format("unknown label {}", depth));
        const std::vector<ValType>& types = frames_[frames_.size() - 1 - depth].label_types();
        if (types.size() != default_types.size()) {
          return Fail(instr, "type mismatch: br_table targets have different arities");
        }
        // Pop and push back the actual values so that unknowns stay unknown for the next label.
        scratch_.resize(types.size());
        for (size_t k = types.size(); k-- > 0;) {
          TRY_ASSIGN(scratch_[k], Pop(types[k]));
        }
        PushValues(scratch_);
      }
      TRY(PopValues(default_types));
      SetUnreachable();
      return Ok();
    }
    case Opcode::Return:
      TRY(PopValues(frames_.front().results));
      SetUnreachable();
      return Ok();
    case Opcode::Nop: return Ok();
    default: return Error::Make(ErrorKind::Internal, "not a control instruction", instr.offset);
  }
}

Result<void> FunctionValidator::ValidateCall(const Instr& instr) {
  switch (instr.op) {
    case Opcode::Call: {
      if (instr.index >= module_.func_types.size()) {
        return Fail(instr, fmt::format("unknown function {}", instr.index));
      }
      const FuncType& type = module_.func_type(instr.index);
      TRY(PopValues(type.params));
      PushValues(type.results);
      return Ok();
    }
    case Opcode::CallIndirect: {
      if (instr.index2 >= module_.tables.size()) {
        return Fail(instr, fmt::format("unknown table {}", instr.index2));
      }
      if (module_.tables[instr.index2].elem != ValType::FuncRef) {
        return Fail(instr, "type mismatch: call_indirect needs a funcref table");
      }
      if (instr.index >= module_.types.size())
        return Fail(instr, fmt::format("unknown type {}", instr.index));
      const FuncType& type = module_.types[instr.index];
      TRY(Pop(ValType::I32));
      TRY(PopValues(type.params));
      PushValues(type.results);
      return Ok();
    }
    default: return Error::Make(ErrorKind::Internal, "not a call instruction", instr.offset);
  }
}

Result<void> FunctionValidator::ValidateSignature(const Instr& instr) {
  const FixedSignature& sig = kSignatures.rows[static_cast<uint32_t>(instr.op)];
  // An instruction without a signature has a rule of its own: reaching here is our bug, and
  // treating it as a no-op would let ill-typed code through to the compiler.
  if (!sig.fixed) {
    return Error::Make(ErrorKind::Internal,
                       fmt::format("no typing rule for `{}`", OpcodeText(instr.op)), instr.offset);
  }
  for (int i = sig.num_params; i-- > 0;) TRY(Pop(sig.params[i]));
  if (sig.num_results) operands_.push_back(sig.result);
  return Ok();
}

Result<void> FunctionValidator::Validate(const Instr& instr) {
  if (frames_.empty()) {
    // The spec reads a body up to the final `end`; bytes after it are the section's problem.
    return BinaryReader::MakeError("section size mismatch",
                                   "instructions after the function's final `end`", instr.offset);
  }
  Result<void> result = Ok();
  switch (CategoryOf(instr.op)) {
    case OpCategory::Control: result = ValidateControl(instr); break;
    case OpCategory::Call: result = ValidateCall(instr); break;
    case OpCategory::Parametric: result = ValidateParametric(instr); break;
    case OpCategory::Variable: result = ValidateVariable(instr); break;
    case OpCategory::Reference: result = ValidateReference(instr); break;
    case OpCategory::Table: result = ValidateTable(instr); break;
    case OpCategory::Memory:
    case OpCategory::Bulk: result = ValidateMemory(instr); break;
    case OpCategory::Constant:
    case OpCategory::Integer:
    case OpCategory::Float:
    case OpCategory::Conversion: result = ValidateSignature(instr); break;
  }
  if (!result.ok()) {
    Error error = std::move(result).error();
    if (!error.offset) {  // a bare pop error: add where it happened
      return Fail(instr, std::move(error.message));
    }
    return error;
  }
  return Ok();
}

Result<void> FunctionValidator::Finish(uint32_t body_end) const {
  if (frames_.empty()) return Ok();
  return MissingEndError(module_, body_end, frames_.size());
}

}  // namespace wasmgrind
