// Declarations of the runtime calls listed in runtime_calls.def.
#pragma once

#include <cstdint>

#include "vmcontext.h"

// The rows of runtime_calls.def name these types unqualified, at global scope.
using wasmgrind::VMContext;
using wasmgrind::VMVal;

extern "C" {
#define WG_RUNTIME_CALL(name, ret, params) ret wg_rt_##name params;
#include "runtime_calls.def"
#undef WG_RUNTIME_CALL
}
