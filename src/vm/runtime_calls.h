// The table through which JIT code reaches the runtime: one function pointer per row of
// runtime_calls.def, then one per row of memcheck_calls.def, then one per row of
// libc_replacements.def, then the same rows again in their --memcheck versions.
//
// Why a table: the JIT never names a runtime function, so the jit layer links without the
// runtime (as Wasmtime's VMBuiltinFunctionsArray). The runtime fills one constant table
// (runtime/runtime_call_impls.h) and every context JIT code is given (an instance's
// VMContext, a host function's context) points at it in its first word
// (VMContextHeader::runtime_calls). A runtime call is then
//   mov table, [vmctx]
//   call [table + RuntimeCallOffset(call)]
#pragma once

#include <cstddef>
#include <cstdint>

namespace wasmgrind {

struct VMContext;
struct VMVal;

// Entry k of VMRuntimeCalls: the rows of runtime_calls.def in order, those of
// memcheck_calls.def (as Mc<Name>), then kFirstLibcReplacement + row for the rows of
// libc_replacements.def, then kFirstLibcReplacement + kNumLibcReplacements + row for their
// --memcheck versions.
enum class RuntimeCall : uint32_t {
#define WG_RUNTIME_CALL(name, ret, params) name,
#define WG_MEMCHECK_CALL(name, ret, params) Mc##name,
#include "vm/runtime_calls.def"
#include "vm/memcheck_calls.def"
#undef WG_RUNTIME_CALL
#undef WG_MEMCHECK_CALL
  kFirstLibcReplacement,
};

inline constexpr uint32_t kNumLibcReplacements = 0
#define WG_LIBC_REPLACEMENT(symbol, impl, n) +1
#include "vm/libc_replacements.def"
#undef WG_LIBC_REPLACEMENT
    ;

// The entry for row `row` of libc_replacements.def (LibcReplacement::row).
constexpr RuntimeCall LibcReplacementCall(uint32_t row) {
  return static_cast<RuntimeCall>(static_cast<uint32_t>(RuntimeCall::kFirstLibcReplacement) + row);
}
// Its --memcheck version (wg_libc_mc_<impl>): the same result, and the bytes the C function
// touches checked against the shadow. A separate entry, so that code compiled without
// --memcheck runs the replacement exactly as before.
constexpr RuntimeCall MemcheckLibcReplacementCall(uint32_t row) {
  return LibcReplacementCall(kNumLibcReplacements + row);
}

// A libc replacement's parameters: `n` wasm32 values (libc_replacements.def's third column).
#define WG_LIBC_PARAMS_1 uint32_t
#define WG_LIBC_PARAMS_2 uint32_t, uint32_t
#define WG_LIBC_PARAMS_3 uint32_t, uint32_t, uint32_t

// Typed by the rows' prototypes, so the runtime's table is checked against them (and is a
// constant initializer: no casts).
struct VMRuntimeCalls {
#define WG_RUNTIME_CALL(name, ret, params) ret(*name) params = nullptr;
#define WG_MEMCHECK_CALL(name, ret, params) ret(*Mc##name) params = nullptr;
#include "vm/runtime_calls.def"
#include "vm/memcheck_calls.def"
#undef WG_RUNTIME_CALL
#undef WG_MEMCHECK_CALL
  // wg_libc_<impl>(VMContext*, uint32_t x num_params) -> uint64_t, by row.
#define WG_LIBC_REPLACEMENT(symbol, impl, n) \
  uint64_t (*libc_##symbol)(VMContext*, WG_LIBC_PARAMS_##n) = nullptr;
#include "vm/libc_replacements.def"
#undef WG_LIBC_REPLACEMENT
  // wg_libc_mc_<impl>, the same prototypes, by row.
#define WG_LIBC_REPLACEMENT(symbol, impl, n) \
  uint64_t (*mc_libc_##symbol)(VMContext*, WG_LIBC_PARAMS_##n) = nullptr;
#include "vm/libc_replacements.def"
#undef WG_LIBC_REPLACEMENT
};

// Where JIT code finds `call` in the table.
constexpr int32_t RuntimeCallOffset(RuntimeCall call) {
  return static_cast<int32_t>(static_cast<uint32_t>(call) * sizeof(void*));
}

// The enum and the struct list the same rows in the same order.
#define WG_RUNTIME_CALL(name, ret, params) \
  static_assert(offsetof(VMRuntimeCalls, name) == RuntimeCallOffset(RuntimeCall::name));
#define WG_MEMCHECK_CALL(name, ret, params) WG_RUNTIME_CALL(Mc##name, ret, params)
#include "vm/runtime_calls.def"
#include "vm/memcheck_calls.def"
#undef WG_RUNTIME_CALL
#undef WG_MEMCHECK_CALL
namespace detail {
// The row of each libc replacement, to check the struct's members against.
enum class LibcRow : uint32_t {
#define WG_LIBC_REPLACEMENT(symbol, impl, n) symbol,
#include "vm/libc_replacements.def"
#undef WG_LIBC_REPLACEMENT
};
}  // namespace detail
#define WG_LIBC_REPLACEMENT(symbol, impl, n)                                                   \
  static_assert(                                                                               \
      offsetof(VMRuntimeCalls, libc_##symbol) ==                                               \
      RuntimeCallOffset(LibcReplacementCall(static_cast<uint32_t>(detail::LibcRow::symbol)))); \
  static_assert(offsetof(VMRuntimeCalls, mc_libc_##symbol) ==                                  \
                RuntimeCallOffset(                                                             \
                    MemcheckLibcReplacementCall(static_cast<uint32_t>(detail::LibcRow::symbol))));
#include "vm/libc_replacements.def"
#undef WG_LIBC_REPLACEMENT
static_assert(sizeof(VMRuntimeCalls) == static_cast<size_t>(RuntimeCallOffset(
                                            MemcheckLibcReplacementCall(kNumLibcReplacements))));

// The function pointer type of entry `call` (its row's prototype), from which the JIT takes a
// call's signature and arity, so that the call cannot disagree with the function it calls.
template <RuntimeCall call>
struct RuntimeCallEntry;
#define WG_RUNTIME_CALL(name, ret, params)       \
  template <>                                    \
  struct RuntimeCallEntry<RuntimeCall::name> {   \
    using Type = decltype(VMRuntimeCalls::name); \
  };
#define WG_MEMCHECK_CALL(name, ret, params) WG_RUNTIME_CALL(Mc##name, ret, params)
#include "vm/runtime_calls.def"
#include "vm/memcheck_calls.def"
#undef WG_RUNTIME_CALL
#undef WG_MEMCHECK_CALL
template <RuntimeCall call>
using RuntimeCallType = typename RuntimeCallEntry<call>::Type;

}  // namespace wasmgrind
