// Functions whose body does nothing (`nop`s, then `end`, no results: `(func)` of any params)
// are not run through asmjit's Compiler: its per-function machinery (FuncNode, frame, register
// allocation pass, argument shuffling, labels) costs microseconds and hundreds of bytes per
// function, which a module of a million empty functions multiplies into seconds and hundreds of
// megabytes. Their code is the same rbp frame the Compiler gives every wasm function
// (signals/frame_walker.h walks JIT frames by frame pointer), then ret.
#pragma once

#include <asmjit/x86.h>

#include "vm/jit/function_compiler.h"

namespace wasmgrind::jit {

// True if defined function `defined_index` may be emitted by EmitEmptyFunction: its body is
// empty and nothing asks for more (a libc replacement by name, a PC map entry per instruction).
bool IsEmptyFunction(const ModuleEnv& env, uint32_t defined_index);

// Binds the record's entry label, and its end label after the code if `bind_end` (else the end
// label is the next function's entry, bound by that function right after this code).
void EmitEmptyFunction(x86::Compiler& cc, FunctionRecord& record, bool bind_end);

}  // namespace wasmgrind::jit
