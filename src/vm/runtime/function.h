// Function internals: the context of a host function. The Function class is in api.h.
//
// A host function's VMFuncRef points at the Engine's per-type host stub, with the stub's
// "vmctx" being this context; the stub spills its params into VMVals and calls
// wg_rt_CallHost(context, values), which runs `callback`. Like a VMContext, the context starts
// with the runtime-call table JIT code calls through (the stub, and an entry trampoline's stack
// check, find it there). The Store owns the context, so its
// address (and the VMFuncRef inside it) is stable for the Store's life.
#pragma once

#include <cstddef>

#include "vm/runtime/api.h"
#include "vm/runtime/runtime_call_impls.h"

namespace wasmgrind {

struct HostFunctionContext {
  // A whole header, as every context has: JIT code finds the runtime-call table at its start,
  // and a caller tracking V bits writes its arguments' to it (vmcontext.h).
  VMContextHeader header{.runtime_calls = &kRuntimeCalls};
  HostCallback callback;
  FuncType type;
  uint32_t type_id = 0;
  VMFuncRef func_ref;  // code = Engine::HostStubFor(type_id), vmctx = this
};
// offsetof on a type that is not standard-layout (std::function) is conditionally supported;
// GCC and Clang give the ABI's layout for a class without virtual bases.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
static_assert(offsetof(HostFunctionContext, header) == 0);
#pragma GCC diagnostic pop

}  // namespace wasmgrind
