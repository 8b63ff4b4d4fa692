// The runtime's side of the runtime-call table (vm/runtime_calls.h): the C functions of
// runtime_calls.def (wg_rt_<Name>, runtime_calls.cc), of memcheck_calls.def (wg_mc_<Name>,
// memcheck_runtime.cc) and of libc_replacements.def
// (wg_libc_<impl>, native_libc.cc; wg_libc_mc_<impl>, native_libc_memcheck.cc), and kRuntimeCalls, the one table that points at them and
// that every VMContext and host function context carries. Only the runtime names these
// functions; JIT code reaches them through the table.
#pragma once

#include <cstdint>

#include "vm/runtime_calls.h"

// The rows of runtime_calls.def name these types unqualified, at global scope.
using wasmgrind::VMContext;
using wasmgrind::VMVal;

extern "C" {
#define WG_RUNTIME_CALL(name, ret, params) ret wg_rt_##name params;
#include "vm/runtime_calls.def"
#undef WG_RUNTIME_CALL
#define WG_MEMCHECK_CALL(name, ret, params) ret wg_mc_##name params;
#include "vm/memcheck_calls.def"
#undef WG_MEMCHECK_CALL

#define WG_LIBC_REPLACEMENT(symbol, impl, n)                          \
  uint64_t wg_libc_##impl(wasmgrind::VMContext*, WG_LIBC_PARAMS_##n); \
  uint64_t wg_libc_mc_##impl(wasmgrind::VMContext*, WG_LIBC_PARAMS_##n);
#include "vm/libc_replacements.def"
#undef WG_LIBC_REPLACEMENT
}

namespace wasmgrind {

// Filled at compile time from the .def files (runtime_calls.cc).
extern const VMRuntimeCalls kRuntimeCalls;

}  // namespace wasmgrind
