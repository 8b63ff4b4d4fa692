// The runtime side of --memcheck: each instance of code compiled with EngineOptions::memcheck
// gets a memcheck::MemoryChecker for its memory 0 (made by the Store's factory, which the tool
// provides with its options, symbolizer and report destination), the replaced allocation
// functions (memcheck/allocator_functions.h) when the module has an allocator, and the calls
// JIT code makes (memcheck_calls.h).
//
// The shadow's reservation is registered with the signal handler as another view of memory 0
// (signals/memory_registry.h): a shadow check past the memory's end faults exactly where the
// access would have, and becomes the same out-of-bounds trap with the same wasm address.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "memcheck/allocator_functions.h"
#include "memcheck/memory_checker.h"
#include "vm/result.h"
#include "vm/runtime/api.h"
#include "vm/runtime/runtime_access.h"

namespace wasmgrind {

struct McInstanceState {
  McInstanceState() = default;
  McInstanceState(const McInstanceState&) = delete;
  McInstanceState& operator=(const McInstanceState&) = delete;
  ~McInstanceState();  // unregisters the shadow before the checker unmaps it

  std::unique_ptr<memcheck::MemoryChecker> checker;
  std::optional<memcheck::AllocatorFunctions> allocator;  // when the module has one
  // By defined function: reads __stack_pointer but never writes it, so its frame lies below
  // the stack pointer (see MemoryChecker::OnLeafFrame).
  std::vector<bool> leaf_frames;
  // Return address -> its wasm frame (function index + 1, 0: not this module's; offset).
  std::unordered_map<uintptr_t, memcheck::Frame> frame_cache;
  uintptr_t registered_shadow = 0;
};

// Instantiation (instantiate.cc): gives `inst` its checker if its code was compiled for one.
Result<void> AttachMemcheck(StoreImpl& store, InstanceImpl& inst);

// The program ended: the leak check (roots: memory below the heap but for the dead part of
// the C stack, and every i32 global) and the summaries. Returns the exit status.
int McFinish(const InstanceImpl& inst, int program_status);

// What memcheck needs to know of a module's memory: the C stack (the module's, c_stack.h), its
// global variables (DWARF) and, when it has allocation functions to replace, where the heap
// starts (above the stack and the data, where wasm-ld puts __heap_base in either layout).
memcheck::MemoryLayout McLayoutOf(const Module& module, uint64_t memory_size, bool has_allocator);

// The wasm backtrace of JIT code of `inst`'s module, from `pc` (a return address into it, or
// with `top_offset` the innermost frame's wasm offset given) and the frame pointer `fp`, at
// most --num-callers frames. Every malloc and free takes one, so return addresses seen before
// are looked up in `state`'s cache rather than in the PC maps again.
memcheck::Backtrace McBacktrace(const InstanceImpl& inst, uintptr_t pc, uintptr_t fp,
                                std::optional<uint32_t> top_offset);

}  // namespace wasmgrind

// What the thunks (wg_mc_AccessThunk, wg_mc_StackPointerThunk: vm/memcheck_calls.def) call,
// with the thunk's rbp frame (vm/memcheck_calls.h).
extern "C" {
void wg_mc_Access(wasmgrind::VMContext* vmctx, uint64_t address, uint64_t info,
                  const uintptr_t* frame);
void wg_mc_StackPointer(wasmgrind::VMContext* vmctx, uint64_t sp, uint64_t unused,
                        const uintptr_t* frame);
}
