// LiveCode (live_code.h). The rules follow what the compiler emits: a frame's end runs if its
// frame was opened in live code and code falls into it, a branch targets it (loops excepted:
// their branches go to the header), or it ends an `if` without `else` (the implicit else
// reaches it).
#include "vm/decode/live_code.h"

namespace wasmgrind {

bool LiveCode::Visits(const Instr& instr) const {
  if (instr.op == Opcode::Else || instr.op == Opcode::End) return frames_.back().entered_live;
  return frames_.back().live;
}

void LiveCode::MarkReached(uint32_t depth) {
  if (depth < frames_.size()) frames_[frames_.size() - 1 - depth].reached = true;
}

void LiveCode::Update(const Instr& instr) {
  Frame& top = frames_.back();
  falls_through_ = top.live;
  switch (instr.op) {
    case Opcode::Block:
    case Opcode::Loop:
    case Opcode::If: {
      Frame frame;
      frame.entered_live = frame.live = top.live;
      frame.loop = instr.op == Opcode::Loop;
      frame.one_armed_if = instr.op == Opcode::If;
      frames_.push_back(frame);
      return;
    }
    case Opcode::Else:
      if (top.live) top.reached = true;  // the then-arm jumps over the else-arm to the end
      top.live = top.entered_live;
      top.one_armed_if = false;
      return;
    case Opcode::End: {
      const Frame frame = top;
      frames_.pop_back();
      if (frames_.empty()) return;  // the function's final end
      frames_.back().live = frame.entered_live &&
                            (frame.live || (frame.reached && !frame.loop) || frame.one_armed_if);
      return;
    }
    case Opcode::Br:
      if (top.live) MarkReached(instr.index);
      top.live = false;
      return;
    case Opcode::BrIf:
      if (top.live) MarkReached(instr.index);
      return;
    case Opcode::BrTable:
      if (top.live) {
        for (uint32_t depth : instr.br_targets) MarkReached(depth);
      }
      top.live = false;
      return;
    case Opcode::Return:
    case Opcode::Unreachable: top.live = false; return;
    default: return;
  }
}

}  // namespace wasmgrind
