// CompactVirtRegs: renames the virtual registers of one function, before asmjit's register
// allocator sees it, so that values whose live ranges cannot overlap share one virtual register.
//
// Why: asmjit's allocator keeps per-block liveness bit vectors and per-block register
// assignments as wide as the function's virtual-register count, so its time and memory grow
// with blocks x virtual registers: quadratic in the size of a large function, where both grow
// with the code (every wasm value is a fresh virtual register, every PC-map label ends a block).
// After this pass the count is about the most values live at once, which the value stack's
// spilling (FunctionCompiler::SpillDeepValue) and locals in memory keep bounded.
//
// How: each virtual register gets one interval over the function's nodes in emission order,
// from its first to its last occurrence, extended over every loop it is live into (a back edge
// whose target lies inside the interval extends it to the edge's source); registers of the same
// kind whose intervals are disjoint are then coloured greedily, in order of start. Out-of-line
// code (trap stubs, slow paths, branch stubs: the deferred regions) runs between the jump that
// enters it and the code after that jump, so it is placed, for this purpose, at the positions
// of the jumps into it. That is a superset of liveness for the code FunctionCompiler emits:
// structured control flow, where every backward jump closes a loop.
#pragma once

#include <asmjit/x86.h>

#include <span>

namespace wasmgrind::jit {

// The nodes one deferred closure emitted (first..last inclusive), in emission order.
struct DeferredRegion {
  asmjit::BaseNode* first = nullptr;
  asmjit::BaseNode* last = nullptr;
};

struct CompactionStats {
  uint32_t virt_regs_before = 0;  // distinct virtual registers the function's code used
  uint32_t virt_regs_after = 0;
};

// `func` is the function's FuncNode and `last` its last node (endFunc not called yet); the
// deferred regions lie between the body and `last`, in order.
CompactionStats CompactVirtRegs(asmjit::x86::Compiler& cc, asmjit::FuncNode* func,
                                asmjit::BaseNode* last, std::span<const DeferredRegion> deferred);

}  // namespace wasmgrind::jit
