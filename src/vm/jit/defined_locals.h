// FindDefinedLocals: which locals of a function can only ever hold defined values, for
// uninitialised-value tracking (emit_value_shadows.cc). Such a local needs no shadow local:
// reading it costs nothing and neither do the addresses, loop counters and indexes computed
// from it, which are most of a program's integer arithmetic.
//
// A declared local qualifies when every value the function stores into it is defined by
// construction: a constant, memory.size, the stack pointer, another qualifying local, or an
// operation whose operands all are. Params never qualify (the caller's values may be
// undefined), nor do loaded values, call results, globals, block results and loop params (a
// conservative choice: what arrives at a label is not followed). The answer is a fixpoint: a
// local stays in the set only if it survives a pass that assumes the whole set.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "vm/module_info.h"

namespace wasmgrind::jit {

// By local index (params first): true if the local only ever holds defined values. All false
// when the body does not decode (the compiler reports that error itself).
std::vector<bool> FindDefinedLocals(const ModuleInfo& module, uint32_t defined_index,
                                    std::optional<uint32_t> stack_pointer_global);

}  // namespace wasmgrind::jit
