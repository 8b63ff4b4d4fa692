// What JIT code calls under --memcheck (EngineOptions::memcheck), and what it knows of the
// checker: the shadow base in the VMContext header, "0 means fine", and these entry points.
//
// The slow paths of the inline checks go through thunks that preserve every register, as
// AddressSanitizer's report calls do: a call the register allocator sees as clobbering nothing
// costs the hot path nothing (no spills around a check that is almost never taken). A thunk
// takes the usual first three argument registers (rdi = vmctx), saves every caller-saved GP and
// XMM register, and calls the C function with its own rbp frame as the fourth argument:
// frame[0] is the JIT caller's rbp and frame[1] the return address into JIT code, where the
// backtrace starts.
//
// The allocation functions are replaced by ordinary runtime calls (memcheck_allocators.def),
// and so are the client requests' no-op functions (include/wasmgrind/memcheck_requests.def).
// JIT code reaches the thunks and the allocator through the runtime-call table
// (memcheck_calls.def, vm/runtime_calls.h); the runtime defines them (memcheck_runtime.cc).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "vm/module_info.h"
#include "vm/vmcontext.h"

namespace wasmgrind {

// The access a shadow check's slow path reports, packed into one immediate. leaf_frame: the
// accessing function is a leaf-frame function (reads the C stack pointer, never writes it:
// clang's leaf functions use memory below the pointer without moving it), so its access below
// the stack pointer is its frame (MemoryChecker::OnLeafFrame). The JIT knows that statically.
constexpr uint64_t McAccessInfo(uint32_t wasm_offset, uint32_t size, bool is_store,
                                bool leaf_frame = false) {
  return uint64_t{wasm_offset} | (uint64_t{size & 0xff} << 32) | (uint64_t{is_store} << 40) |
         (uint64_t{leaf_frame} << 41);
}
struct McAccess {
  uint32_t wasm_offset;
  uint32_t size;
  bool is_store;
  bool leaf_frame;
};
constexpr McAccess UnpackMcAccessInfo(uint64_t info) {
  return {static_cast<uint32_t>(info), static_cast<uint32_t>((info >> 32) & 0xff),
          ((info >> 40) & 1) != 0, ((info >> 41) & 1) != 0};
}

// The shadow states JIT code tests besides "0 is fine" (memcheck/shadow_layout.h, which the
// core may not include; memcheck_values_test checks that they agree): a wholly undefined byte.
inline constexpr uint8_t kMcShadowUndefined = 0x01;
// C stack below the stack pointer (a dead frame).
inline constexpr uint8_t kMcShadowBelowStackPointer = 0x83;

// The checker's stack-pointer state (memcheck::StackShadowState), just below the shadow base,
// which JIT code updates itself on small stack-pointer moves (emit_memcheck_stack.cc): the
// stack pointer it last saw, the lowest byte a leaf frame made addressable below it, and eight
// copies of the state of a new frame's bytes. Offsets from the shadow base.
inline constexpr int32_t kMcStackPointerOffset = -16;     // u32
inline constexpr int32_t kMcLeafFramesBeginOffset = -12;  // u32
inline constexpr int32_t kMcFreshPatternOffset = -8;      // u64
// In the wasm-offset argument of the stack-pointer thunk: its address argument is not a new
// stack pointer but the bottom of the frame a leaf function entered (MemoryChecker::OnLeafFrame).
inline constexpr uint64_t kMcLeafFrameEntered = uint64_t{1} << 32;

// Where an undefined value changes behaviour (uninitialised-value tracking): Valgrind's
// "Conditional jump or move depends on uninitialised value(s)" or "Use of uninitialised value
// of size N". Packed with the wasm offset and size for wg_mc_Uninit.
enum class McUninitUse : uint8_t { Condition, Value };
constexpr uint64_t McUninitInfo(uint32_t wasm_offset, McUninitUse use, uint32_t size) {
  return uint64_t{wasm_offset} | (uint64_t{size & 0xff} << 32) |
         (uint64_t{static_cast<uint8_t>(use)} << 40);
}
struct McUninit {
  uint32_t wasm_offset;
  McUninitUse use;
  uint32_t size;
};
constexpr McUninit UnpackMcUninitInfo(uint64_t info) {
  return {static_cast<uint32_t>(info), static_cast<McUninitUse>((info >> 40) & 0xff),
          static_cast<uint32_t>((info >> 32) & 0xff)};
}

enum class McAllocatorKind : uint32_t {
  Malloc,
  Calloc,
  Realloc,
  Free,
  AlignedAlloc,
  PosixMemalign,
  UsableSize,
  New,
  NewArray,
  NewAligned,
  NewArrayAligned,
  Delete,
  DeleteArray,
};

struct McAllocator {
  const char* name;
  McAllocatorKind kind;
  uint32_t num_params;
  bool has_result;
  uint32_t row;  // in memcheck_allocators.def (McAllocatorName)
};

// The name of row `row` of memcheck_allocators.def, as the table spells it.
std::string_view McAllocatorName(uint32_t row);

// The replaced body's runtime call passes its kind and its row as one word, so that
// --trace-malloc can name the exact variant (operator new's nothrow one, ...).
constexpr uint32_t PackMcAllocatorCall(McAllocatorKind kind, uint32_t row) {
  return static_cast<uint32_t>(kind) | row << 8;
}
constexpr McAllocatorKind McAllocatorCallKind(uint32_t call) {
  return static_cast<McAllocatorKind>(call & 0xff);
}
constexpr uint32_t McAllocatorCallRow(uint32_t call) { return call >> 8; }

// The allocation function that defined function `func_index` of `module` is (by name and exact
// type), or nullopt. The name is the name section's, else DWARF's (ModuleInfo::LinkName), else
// the function's export's.
std::optional<McAllocator> FindMcAllocator(const ModuleInfo& module, uint32_t func_index);

// Valgrind's client requests, one per row of include/wasmgrind/memcheck_requests.def.
enum class McClientRequest : uint32_t {
#define WASMGRIND_CLIENT_REQUEST(Name, name) Name,
#include "wasmgrind/memcheck_requests.def"
#undef WASMGRIND_CLIENT_REQUEST
};
// Every request's function has this many i32 params and one i32 result.
inline constexpr uint32_t kMcClientRequestParams = 4;

// The client request whose no-op function `func_index` of `module` is (its name
// wasmgrind_client_<name> and its exact type), or nullopt.
std::optional<McClientRequest> FindMcClientRequest(const ModuleInfo& module, uint32_t func_index);

// Whether --memcheck replaces function `func_index` by the checker's (an allocation function
// or a client request), whose body zeroes its result's V bits: a pointer, a request's answer.
bool McReturnsDefined(const ModuleInfo& module, uint32_t func_index);

}  // namespace wasmgrind
