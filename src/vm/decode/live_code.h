// LiveCode: which instructions of a function body can run at all, as opposed to which the spec
// types as reachable (V8's "reachable" versus "spec-only reachable"). Code is dead after an
// unconditional branch (br, br_table, return, unreachable) up to the enclosing else/end, and
// after the end of a block that nothing reaches: no branch targets it and no code falls into it
// (the spec still types what follows with the block's results). Dead code is validated but never
// compiled: DecodeFunction hands a live-code consumer only live instructions, plus the `else`
// and `end` of every frame opened in live code (closing it is part of the live code around it).
//
// Invariant: frames_ mirrors the validator's control stack (the function body is frames_[0]).
#pragma once

#include <cstdint>
#include <vector>

#include "vm/instr.h"

namespace wasmgrind {

class LiveCode {
 public:
  LiveCode() : frames_{Frame{}} {}

  // Whether a live-code consumer sees `instr` (called before Update with the same instruction).
  bool Visits(const Instr& instr) const;
  // Steps over `instr`, which the validator accepted.
  void Update(const Instr& instr);

  // Before Update(instr): whether the code right before `instr` runs; for else/end, whether
  // the then-arm or the block falls through into it.
  bool falls_through() const { return falls_through_; }
  // After Update(instr): whether the code after `instr` runs.
  // (False after the function's final end: nothing follows it.)
  bool live() const { return !frames_.empty() && frames_.back().live; }

 private:
  struct Frame {
    bool entered_live = true;  // opened in live code (the function body: always)
    bool live = true;          // the code at the current point of this frame runs
    bool reached = false;      // a branch from live code targets its end (not a loop's)
    bool loop = false;
    bool one_armed_if = false;  // an `if` whose `else` has not been seen
  };
  void MarkReached(uint32_t depth);
  std::vector<Frame> frames_;
  bool falls_through_ = true;
};

}  // namespace wasmgrind
