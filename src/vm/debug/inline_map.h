// InlineMap: which inlined calls an instruction sits in, from the DW_TAG_inlined_subroutine
// trees of a module's DWARF. At -O1 and above clang inlines small functions: the line table
// then gives the innermost inlined callee's line for an instruction of the physical function,
// and only these DIEs say which functions it was inlined through and from which lines they were
// called (DW_AT_call_file / call_line / call_column, names through DW_AT_abstract_origin).
//
// Chain(offset) lists the inlined calls holding the instruction, innermost first; with the line
// table's location for the instruction and the physical function's name, it gives the frames
// llvm-symbolizer --inlining prints (see Symbolizer::Frames). Addresses are code-section
// relative, as in all wasm DWARF. Built once per module, immutable afterwards; malformed DWARF
// gives an empty (or partial) map and a warning, never an error.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vm/debug/source_map.h"
#include "vm/module_info.h"

namespace wasmgrind {

struct InlinedCall {
  std::string function;      // the inlined callee (linkage name if DWARF has one; not demangled)
  SourceLocation call_site;  // where it was called, in the function it was inlined into
};

class InlineMap {
 public:
  InlineMap() = default;  // empty
  static InlineMap Build(const ModuleInfo& module);

  // The inlined calls that hold the instruction at `module_offset`, innermost first; empty if
  // it is in no inlined code.
  std::vector<InlinedCall> Chain(uint32_t module_offset) const;

  bool empty() const { return calls_.empty(); }
  const std::string& warning() const { return warning_; }

 private:
  struct Call {
    InlinedCall call;
    uint32_t parent = UINT32_MAX;  // the enclosing inlined call, or none
    uint32_t depth = 0;            // nesting: 0 directly in a subprogram
  };
  struct Range {
    uint32_t low = 0;
    uint32_t high = 0;
    uint32_t call = 0;  // index into calls_
  };
  class Builder;

  uint32_t code_offset_ = 0;
  std::vector<Call> calls_;
  std::vector<Range> ranges_;  // sorted by low
  std::string warning_;
};

}  // namespace wasmgrind
