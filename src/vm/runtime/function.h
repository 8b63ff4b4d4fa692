// Function internals: the context of a host function. The Function class is in api.h.
//
// A host function's VMFuncRef points at the Engine's per-type host stub, with the stub's
// "vmctx" being this context; the stub spills its params into VMVals and calls
// wg_rt_CallHost(context, values), which runs `callback`. The Store owns the context, so its
// address (and the VMFuncRef inside it) is stable for the Store's life.
#pragma once

#include "api.h"

namespace wasmgrind {

struct HostFunctionContext {
  HostCallback callback;
  FuncType type;
  uint32_t type_id = 0;
  VMFuncRef func_ref;  // code = Engine::HostStubFor(type_id), vmctx = this
};

}  // namespace wasmgrind
