// The abstract walk behind FindDefinedLocals (defined_locals.h): the operand stack as one bool
// per value ("defined by construction"), kept at the validator's height after every
// instruction, so that anything not modelled below only ever makes values undefined.
#include "vm/jit/defined_locals.h"

#include <string_view>

#include "vm/decode/decode_function.h"

namespace wasmgrind::jit {
namespace {

class DefinedLocalsPass {
 public:
  DefinedLocalsPass(const ModuleInfo& module, std::vector<bool>& defined,
                    std::optional<uint32_t> stack_pointer)
      : module_(module), defined_(defined), stack_pointer_(stack_pointer) {}

  bool changed() const { return changed_; }

  Result<void> OnInstr(const Instr& instr, const FunctionValidator& validator, const LiveCode&) {
    const Opcode op = instr.op;
    if (Info(op).shadow != ValueShadow::Structural) {
      std::string_view sig = Info(op).signature;
      size_t params = sig.find(':');
      bool all = PopAll(params);
      stack_.push_back(all);
    } else {
      switch (op) {
        case Opcode::LocalGet: stack_.push_back(defined_[instr.index]); break;
        case Opcode::LocalSet:
        case Opcode::LocalTee: {
          bool v = Pop();
          if (!v && defined_[instr.index]) {
            defined_[instr.index] = false;
            changed_ = true;
          }
          if (op == Opcode::LocalTee) stack_.push_back(v);
          break;
        }
        case Opcode::GlobalGet: stack_.push_back(stack_pointer_ == instr.index); break;
        case Opcode::I32Const:
        case Opcode::I64Const:
        case Opcode::F32Const:
        case Opcode::F64Const:
        case Opcode::MemorySize: stack_.push_back(true); break;
        case Opcode::Select:
        case Opcode::SelectT: stack_.push_back(PopAll(3)); break;
        case Opcode::Block:
        case Opcode::Loop:
        case Opcode::If: {
          const auto& frame = validator.frames().back();
          if (op == Opcode::If) Pop();
          result_counts_.push_back(frame.results.size());
          // A loop's params also arrive from its back edges.
          if (op == Opcode::Loop) MarkTopUndefined(frame.params.size());
          break;
        }
        case Opcode::Else:
          Sync(validator);
          MarkTopUndefined(validator.frames().back().params.size());
          return Ok();
        case Opcode::End:
          if (result_counts_.empty()) break;  // the function's own end
          Sync(validator);
          MarkTopUndefined(result_counts_.back());
          result_counts_.pop_back();
          return Ok();
        default: PopAll(PopsOf(instr)); break;  // its results, if any, are padded undefined
      }
    }
    Sync(validator);
    return Ok();
  }

 private:
  // How many operands the instructions the switch above does not model pop (their results
  // are undefined). Branches that end the code leave a polymorphic stack: Sync takes it.
  size_t PopsOf(const Instr& instr) const {
    const Opcode op = instr.op;
    if (IsLoad(op)) return 1;
    if (IsStore(op)) return 2;
    switch (op) {
      case Opcode::Call: return module_.func_type(instr.index).params.size();
      case Opcode::CallIndirect: return module_.types[instr.index].params.size() + 1;
      case Opcode::GlobalSet:
      case Opcode::Drop:
      case Opcode::BrIf:
      case Opcode::BrTable:
      case Opcode::MemoryGrow:
      case Opcode::TableGet:
      case Opcode::RefIsNull: return 1;
      case Opcode::TableSet:
      case Opcode::TableGrow: return 2;
      case Opcode::MemoryFill:
      case Opcode::MemoryCopy:
      case Opcode::MemoryInit:
      case Opcode::TableFill:
      case Opcode::TableCopy:
      case Opcode::TableInit: return 3;
      default: return 0;
    }
  }

  bool Pop() {
    if (stack_.empty()) return false;
    bool v = stack_.back();
    stack_.pop_back();
    return v;
  }
  bool PopAll(size_t n) {
    bool all = true;
    for (size_t i = 0; i < n; ++i) all = Pop() && all;
    return all;
  }
  void MarkTopUndefined(size_t n) {
    for (size_t i = 0; i < n && i < stack_.size(); ++i) stack_[stack_.size() - 1 - i] = false;
  }
  // Whatever the instruction did beyond the cases above (pops, pushes, a polymorphic stack),
  // the validator's height is the truth; values this walk did not produce are undefined. An
  // instruction that pops and pushes the same number of values (a load) is caught here too:
  // the cases above leave the stack shorter by its operands, so its result is padded false.
  void Sync(const FunctionValidator& validator) {
    size_t height = validator.operand_types().size();
    if (stack_.size() > height) stack_.resize(height);
    while (stack_.size() < height) stack_.push_back(false);
  }

  const ModuleInfo& module_;
  std::vector<bool>& defined_;
  std::optional<uint32_t> stack_pointer_;
  std::vector<bool> stack_;
  std::vector<size_t> result_counts_;
  bool changed_ = false;
};

}  // namespace

std::vector<bool> FindDefinedLocals(const ModuleInfo& module, uint32_t defined_index,
                                    std::optional<uint32_t> stack_pointer_global) {
  const FunctionBody& body = module.codes[defined_index];
  const FuncType& type = module.func_type(module.num_imported_funcs + defined_index);
  std::vector<bool> defined(type.params.size(), false);
  for (const LocalDecl& d : body.locals) defined.insert(defined.end(), d.count, true);
  // Each pass only removes locals: at most one pass per local, and in practice two or three.
  for (size_t pass = 0; pass <= defined.size(); ++pass) {
    DefinedLocalsPass walk(module, defined, stack_pointer_global);
    if (!DecodeFunction(module, defined_index, walk).ok()) {
      return std::vector<bool>(defined.size(), false);
    }
    if (!walk.changed()) return defined;
  }
  return defined;
}

}  // namespace wasmgrind::jit
