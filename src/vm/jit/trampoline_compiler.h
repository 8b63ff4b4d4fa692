// Per-type glue between host code and wasm code, generated once per canonical function type
// (the Engine caches them):
//  - the entry trampoline (vmcontext.h: EntryTrampoline): VMVal array -> wasm call -> VMVal array,
//    after checking that its frame fits above the stack limit it is given (stack_check.h);
//  - the host stub: a function in the wasm convention that spills its params into VMVals on its
//    stack, calls wg_rt_CallHost(vmctx, values) and returns the results in the wasm convention.
#pragma once

#include "vm/jit/code_memory.h"
#include "vm/result.h"
#include "vm/value_type.h"

namespace wasmgrind::jit {

Result<CodeBlock> CompileEntryTrampoline(CodeMemory& memory, const FuncType& type);
Result<CodeBlock> CompileHostStub(CodeMemory& memory, const FuncType& type);

}  // namespace wasmgrind::jit
