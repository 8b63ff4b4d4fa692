// The dataflow behind FindDefinedValues (defined_values.h). The operand stack is one Level per
// value, kept at the validator's height after every instruction, so that anything not
// modelled below only ever makes values kAny. The locals are two bits each (defined, closed),
// met over the edges of the structured control flow.
#include "vm/jit/defined_values.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "vm/decode/decode_function.h"
#include "vm/memcheck_calls.h"

namespace wasmgrind::jit {

bool DefinedValues::IsDefinedGet(uint32_t offset) const {
  return std::binary_search(defined_gets.begin(), defined_gets.end(), offset);
}

bool DefinedValues::IsClosedLeft(uint32_t offset) const {
  return std::binary_search(closed_lefts.begin(), closed_lefts.end(), offset);
}

bool DefinedValues::IsDeadShadowSet(uint32_t offset) const {
  return std::binary_search(dead_shadow_sets.begin(), dead_shadow_sets.end(), offset);
}

std::optional<uint32_t> DefinedValues::LocalSetAfter(uint32_t offset) const {
  auto it = std::lower_bound(
      results_into_locals.begin(), results_into_locals.end(), offset,
      [](const std::pair<uint32_t, uint32_t>& p, uint32_t offset) { return p.first < offset; });
  if (it == results_into_locals.end() || it->first != offset) return std::nullopt;
  return it->second;
}

namespace {

// What is known of a value's V bits, from best to worst: all zero; upward closed (every bit
// above an undefined bit is undefined too: what Left and Approx produce, so that Left needs
// no smear again); anything.
enum Level : uint8_t { kDefined = 0, kClosed = 1, kAny = 2 };

// The locals' levels at one program point, or the point is unreachable (the meet's identity).
struct LocalsState {
  bool reachable = false;
  uint32_t num_locals = 0;
  // Bit i: local i holds a defined value; bit num_locals + i: its V bits are upward closed.
  std::vector<uint64_t> words;

  static LocalsState Make(uint32_t num_locals, bool all_defined) {
    const size_t n = (2 * size_t{num_locals} + 63) / 64;
    return {true, num_locals, std::vector<uint64_t>(n, all_defined ? ~uint64_t{0} : 0)};
  }
  Level Get(uint32_t i) const {
    if (Bit(i)) return kDefined;
    return Bit(num_locals + i) ? kClosed : kAny;
  }
  void Set(uint32_t i, Level level) {
    SetBit(i, level == kDefined);
    SetBit(num_locals + i, level <= kClosed);
  }
  bool Bit(uint32_t b) const { return (words[b / 64] >> (b % 64)) & 1; }
  void SetBit(uint32_t b, bool v) {
    const uint64_t bit = uint64_t{1} << (b % 64);
    words[b / 64] = v ? words[b / 64] | bit : words[b / 64] & ~bit;
  }
  // This &= other, where control flow joins.
  void Meet(const LocalsState& other) {
    if (!other.reachable) return;
    if (!reachable) {
      *this = other;
      return;
    }
    for (size_t w = 0; w < words.size(); ++w) words[w] &= other.words[w];
  }
  // Whether every bit set here is set in `other` too (an unreachable side constrains nothing).
  bool Within(const LocalsState& other) const {
    if (!reachable || !other.reachable) return true;
    for (size_t w = 0; w < words.size(); ++w) {
      if ((words[w] & ~other.words[w]) != 0) return false;
    }
    return true;
  }
};

// One walk over the body, given what each loop's back edges are assumed to bring.
class DefinedValuesPass {
 public:
  DefinedValuesPass(const ModuleInfo& module, std::optional<uint32_t> stack_pointer,
                    const LocalsState& entry, const std::vector<LocalsState>& loop_assumed,
                    std::unordered_map<uint32_t, bool>& defined_results, DefinedValues& out)
      : module_(module),
        stack_pointer_(stack_pointer),
        loop_assumed_(loop_assumed),
        defined_results_(defined_results),
        out_(out),
        state_(entry),
        last_shadow_read_(out.needs_shadow.size(), 0) {
    frames_.push_back(Frame{Opcode::Block, {}, {}, 0, 0});
  }

  // What each loop's back edges brought in this pass, by loop number (order in the body).
  const std::vector<LocalsState>& loop_back_edges() const { return loop_back_edges_; }

  // After the walk: the local.sets whose V bits no get that reads a shadow can see (every
  // such get of the local comes before the set, outside any loop around it).
  void FindDeadShadowSets() {
    for (const LocalWrite& w : sets_) {
      if (last_shadow_read_[w.local] < w.region) out_.dead_shadow_sets.push_back(w.offset);
    }
  }

  Result<void> OnInstr(const Instr& instr, const FunctionValidator& validator, const LiveCode&) {
    const Opcode op = instr.op;
    if ((op == Opcode::LocalSet || op == Opcode::LocalTee) &&
        (IsLoad(previous_op_) || Info(previous_op_).shadow != ValueShadow::Structural)) {
      out_.results_into_locals.push_back({previous_offset_, instr.index});
    }
    previous_op_ = op;
    previous_offset_ = instr.offset;
    if (Info(op).shadow != ValueShadow::Structural) {
      std::string_view sig = Info(op).signature;
      stack_.push_back(RuleResult(instr, PopAll(sig.find(':'))));
      Sync(validator);
      return Ok();
    }
    switch (op) {
      case Opcode::LocalGet: {
        const Level level = state_.reachable ? state_.Get(instr.index) : kAny;
        if (level == kDefined) {
          out_.defined_gets.push_back(instr.offset);
        } else {
          out_.needs_shadow[instr.index] = true;
          last_shadow_read_[instr.index] = instr.offset;
        }
        stack_.push_back(level);
        break;
      }
      case Opcode::LocalSet:
      case Opcode::LocalTee: {
        // What runs after this set is after it in the body, or in a loop around it.
        uint32_t region = instr.offset;
        for (const Frame& f : frames_) {
          if (f.op == Opcode::Loop) {
            region = f.start;
            break;
          }
        }
        sets_.push_back({instr.offset, instr.index, region});
        Level v = Pop();
        if (state_.reachable) state_.Set(instr.index, v);
        if (op == Opcode::LocalTee) stack_.push_back(v);
        break;
      }
      case Opcode::GlobalGet:
        stack_.push_back(stack_pointer_ == instr.index ? kDefined : kAny);
        break;
      case Opcode::I32Const:
      case Opcode::I64Const:
      case Opcode::F32Const:
      case Opcode::F64Const:
      case Opcode::MemorySize: stack_.push_back(kDefined); break;
      case Opcode::Select:
      case Opcode::SelectT: stack_.push_back(PopAll(3)); break;
      case Opcode::Call: {
        const FuncType& type = module_.func_type(instr.index);
        PopAll(type.params.size());
        // The checker's replacements return defined values (a pointer, a request's answer).
        if (ReturnsDefined(instr.index)) {
          stack_.insert(stack_.end(), type.results.size(), kDefined);
        }
        break;
      }
      case Opcode::Block:
      case Opcode::Loop:
      case Opcode::If: {
        if (op == Opcode::If) Pop();
        const auto& vf = validator.frames().back();
        Frame f{op, {}, {}, vf.results.size(), 0, instr.offset};
        if (op == Opcode::If) f.entry = state_;
        if (op == Opcode::Loop) {
          f.loop = static_cast<uint32_t>(loop_back_edges_.size());
          loop_back_edges_.emplace_back();
          // A loop the last pass did not see (the first pass: none) assumes nothing is lost.
          if (state_.reachable && f.loop < loop_assumed_.size()) {
            state_.Meet(loop_assumed_[f.loop]);
          }
          // A loop's params also arrive from its back edges.
          MarkTopUndefined(vf.params.size());
        }
        frames_.push_back(std::move(f));
        break;
      }
      case Opcode::Br: Branch(instr.index, true); break;
      case Opcode::BrIf:
        Pop();
        Branch(instr.index, false);
        break;
      case Opcode::BrTable:
        Pop();
        for (uint32_t depth : instr.br_targets) Branch(depth, false);
        state_.reachable = false;
        break;
      case Opcode::Return:
      case Opcode::Unreachable: state_.reachable = false; break;
      case Opcode::Else: {
        Frame& f = frames_.back();
        f.at_end.Meet(state_);
        state_ = f.entry;
        f.saw_else = true;
        Sync(validator);
        MarkTopUndefined(validator.frames().back().params.size());
        return Ok();
      }
      case Opcode::End: {
        if (frames_.size() <= 1) break;  // the function's own end
        Frame f = std::move(frames_.back());
        frames_.pop_back();
        if (f.op == Opcode::Loop) {
          // The fallthrough is the loop's only exit to the code after it.
        } else {
          f.at_end.Meet(state_);
          if (f.op == Opcode::If && !f.saw_else) f.at_end.Meet(f.entry);  // the implicit else
          state_ = std::move(f.at_end);
        }
        Sync(validator);
        MarkTopUndefined(f.results);
        return Ok();
      }
      default: PopAll(PopsOf(instr)); break;  // its results, if any, are padded undefined
    }
    Sync(validator);
    return Ok();
  }

 private:
  struct Frame {
    Opcode op;
    LocalsState at_end;  // block, if: met over the branches to its end (and the fallthrough)
    LocalsState entry;   // if: the state the else arm starts from
    size_t results = 0;
    uint32_t loop = 0;   // loop: its number
    uint32_t start = 0;  // its module offset
    bool saw_else = false;
  };
  struct LocalWrite {
    uint32_t offset, local, region;  // region: where code that may run after it begins
  };

  // The level of a plain instruction's result from its operands' (the worst of them), by the
  // instruction's rule (value_shadow_rules.cc); notes a Left whose operands are all closed.
  Level RuleResult(const Instr& instr, Level operands) {
    if (operands == kDefined) return kDefined;
    switch (Info(instr.op).shadow) {
      case ValueShadow::Left:
        if (operands == kClosed) out_.closed_lefts.push_back(instr.offset);
        return kClosed;
      case ValueShadow::Approx:
      case ValueShadow::Divide: return kClosed;  // all bits or none
      case ValueShadow::Union:                   // a union of closed sets is closed
      case ValueShadow::Identity: return operands;
      default: return kAny;
    }
  }

  void Branch(uint32_t depth, bool unconditional) {
    Frame& target = frames_[frames_.size() - 1 - depth];
    if (target.op == Opcode::Loop) {
      loop_back_edges_[target.loop].Meet(state_);
    } else {
      target.at_end.Meet(state_);
    }
    if (unconditional) state_.reachable = false;
  }

  bool ReturnsDefined(uint32_t func_index) {
    auto [it, inserted] = defined_results_.try_emplace(func_index, false);
    if (inserted) it->second = McReturnsDefined(module_, func_index);
    return it->second;
  }

  // How many operands the instructions the switch above does not model pop (their results
  // are undefined). Branches that end the code leave a polymorphic stack: Sync takes it.
  size_t PopsOf(const Instr& instr) const {
    const Opcode op = instr.op;
    if (IsLoad(op)) return 1;
    if (IsStore(op)) return 2;
    switch (op) {
      case Opcode::CallIndirect: return module_.types[instr.index].params.size() + 1;
      case Opcode::GlobalSet:
      case Opcode::Drop:
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

  Level Pop() {
    if (stack_.empty()) return kAny;
    Level v = stack_.back();
    stack_.pop_back();
    return v;
  }
  // The worst level of the top n.
  Level PopAll(size_t n) {
    Level worst = kDefined;
    for (size_t i = 0; i < n; ++i) worst = std::max(worst, Pop());
    return worst;
  }
  void MarkTopUndefined(size_t n) {
    for (size_t i = 0; i < n && i < stack_.size(); ++i) stack_[stack_.size() - 1 - i] = kAny;
  }
  // Whatever the instruction did beyond the cases above (pops, pushes, a polymorphic stack),
  // the validator's height is the truth; values this walk did not produce are undefined. An
  // instruction that pops and pushes the same number of values (a load) is caught here too:
  // the cases above leave the stack shorter by its operands, so its result is padded kAny.
  void Sync(const FunctionValidator& validator) {
    size_t height = validator.operand_types().size();
    if (stack_.size() > height) stack_.resize(height);
    while (stack_.size() < height) stack_.push_back(kAny);
  }

  const ModuleInfo& module_;
  std::optional<uint32_t> stack_pointer_;
  const std::vector<LocalsState>& loop_assumed_;
  std::unordered_map<uint32_t, bool>& defined_results_;
  DefinedValues& out_;
  LocalsState state_;
  std::vector<Level> stack_;
  std::vector<Frame> frames_;
  std::vector<LocalsState> loop_back_edges_;
  std::vector<uint32_t> last_shadow_read_;  // by local: the last get that reads its shadow (0)
  Opcode previous_op_ = Opcode::Nop;
  uint32_t previous_offset_ = 0;
  std::vector<LocalWrite> sets_;
};

// Optimistic passes before giving up on a fixpoint (then no loop header assumes anything).
constexpr int kMaxPasses = 8;

}  // namespace

DefinedValues FindDefinedValues(const ModuleInfo& module, uint32_t defined_index,
                                std::optional<uint32_t> stack_pointer_global) {
  const FunctionBody& body = module.codes[defined_index];
  const FuncType& type = module.func_type(module.num_imported_funcs + defined_index);
  uint32_t num_locals = static_cast<uint32_t>(type.params.size());
  for (const LocalDecl& d : body.locals) num_locals += d.count;
  // Params may be undefined; declared locals start as zeros.
  LocalsState entry = LocalsState::Make(num_locals, false);
  for (uint32_t i = static_cast<uint32_t>(type.params.size()); i < num_locals; ++i) {
    entry.Set(i, kDefined);
  }
  std::unordered_map<uint32_t, bool> defined_results;
  // Each loop's back edges are first assumed to keep every local defined; an assumption the
  // pass refutes is narrowed (and only narrowed, so the passes end) and the body walked again.
  std::vector<LocalsState> assumed;
  for (int pass = 0; pass <= kMaxPasses; ++pass) {
    const bool last = pass == kMaxPasses;
    if (last) {  // no fixpoint in time: loop headers keep only what every entry brings
      for (LocalsState& a : assumed) std::fill(a.words.begin(), a.words.end(), 0);
    }
    DefinedValues out;
    out.needs_shadow.assign(num_locals, false);
    DefinedValuesPass walk(module, stack_pointer_global, entry, assumed, defined_results, out);
    if (!DecodeFunction(module, defined_index, walk).ok()) break;
    const std::vector<LocalsState>& back = walk.loop_back_edges();
    bool fixpoint = back.size() == assumed.size();
    for (size_t l = 0; fixpoint && l < back.size(); ++l) fixpoint = assumed[l].Within(back[l]);
    if (fixpoint || last) {
      walk.FindDeadShadowSets();
      std::sort(out.dead_shadow_sets.begin(), out.dead_shadow_sets.end());
      std::sort(out.defined_gets.begin(), out.defined_gets.end());
      std::sort(out.closed_lefts.begin(), out.closed_lefts.end());
      return out;  // (results_into_locals is in offset order already)
    }
    if (assumed.size() < back.size()) {
      assumed.resize(back.size(), LocalsState::Make(num_locals, true));
    }
    for (size_t l = 0; l < back.size(); ++l) assumed[l].Meet(back[l]);
  }
  DefinedValues none;
  none.needs_shadow.assign(num_locals, true);
  return none;
}

}  // namespace wasmgrind::jit
