// FindDefinedValues: where a function's locals hold values that are defined by construction,
// for uninitialised-value tracking (emit_value_shadows.cc). A local.get found defined pushes
// no V bits at all, and neither do the addresses, loop counters and indexes computed from it,
// which are most of a program's integer arithmetic; a local no get needs V bits for gets no
// shadow local.
//
// The answer is per local.get, not per local: clang's register coloring gives one wasm local
// to many unrelated values (a param's local becomes a loop counter once the param is dead),
// so most locals hold a loaded value at one point and an index at another. The walk is a
// forward dataflow over the structured body: one bit per local ("defined here"), met (and-ed)
// where control flow joins: at a block's end over its branches and its fallthrough, at a
// loop's header over its entry and its back edges (iterated to a fixpoint), at an if's end
// over both arms.
//
// Defined by construction: a constant, memory.size, the stack pointer, a declared local not
// yet written (zero), the result of an allocation function or a client request that the
// checker replaces (a pointer: memcheck_calls.h), and an operation whose operands all are.
// Params, loaded values, other calls' results, globals and values arriving at labels are
// not followed (the compiler tracks labels itself). The same walk follows which values'
// V bits are upward closed, so that a pointer or counter stepped by add in a loop pays no
// smear per step once the first add made its V bits closed.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "vm/module_info.h"

namespace wasmgrind::jit {

struct DefinedValues {
  // By local index (params first): true if some local.get of it may read undefined bits,
  // so that the local needs a shadow local, written at every local.set.
  std::vector<bool> needs_shadow;
  // The module offsets of the local.gets that read a defined value, sorted.
  std::vector<uint32_t> defined_gets;
  // The module offsets of the add/sub/mul whose operands' V bits are each upward closed
  // (every bit above an undefined one is undefined: results of add/sub/mul, comparisons,
  // float arithmetic), so that their union needs no Left smear (x | -x), sorted.
  std::vector<uint32_t> closed_lefts;

  // The module offsets of the local.set/tees whose local's shadow no later read needs (the
  // gets that read it all come before, outside any loop around the set), sorted: the V bits
  // need not be written. A param reused as a counter is the common case.
  std::vector<uint32_t> dead_shadow_sets;

  // The loads and plain value instructions followed at once by a local.set/tee, by module
  // offset (sorted), and that local: their V bits may go straight into the local's shadow.
  std::vector<std::pair<uint32_t, uint32_t>> results_into_locals;

  bool IsDefinedGet(uint32_t offset) const;
  bool IsClosedLeft(uint32_t offset) const;
  bool IsDeadShadowSet(uint32_t offset) const;
  std::optional<uint32_t> LocalSetAfter(uint32_t offset) const;
};

// Every local needs a shadow and no get is defined when the body does not decode (the
// compiler reports that error itself).
DefinedValues FindDefinedValues(const ModuleInfo& module, uint32_t defined_index,
                                std::optional<uint32_t> stack_pointer_global);

}  // namespace wasmgrind::jit
