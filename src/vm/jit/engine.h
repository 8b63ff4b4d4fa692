// Engine: process-wide compilation state shared by every Store: the canonical function-type
// registry (call_indirect compares these ids), JIT code memory, and the per-type trampolines
// (host-to-wasm entries and wasm-to-host stubs). Thread-safe.
#pragma once

#include <cstdint>
#include <memory>

#include "vm/result.h"
#include "vm/value_type.h"
#include "vm/vmcontext.h"

namespace wasmgrind {

class CodeMemory;

struct EngineOptions {
  // Record a PC map entry for every wasm instruction, not only for those that can trap or call
  // (what `wasmgrind disas` needs to interleave wasm and native code). Costs compile time and
  // splits the register allocator's basic blocks, so leave it off for code that runs.
  bool map_every_instruction = false;
  // Compile the module's own libc string and memory functions (memcpy, strlen, ...) as calls
  // to native replacements (libc_replacements.h). `wasmgrind run` turns this on; the library
  // default keeps every module's code as it is.
  bool replace_libc_functions = false;
  // Threads that compile one module, each a contiguous range of functions with at least
  // compile_bytes_per_thread of code (below that a thread costs more than it saves); 0: one per
  // hardware thread. Tests split small modules with compile_bytes_per_thread = 1.
  uint32_t compile_threads = 0;
  uint64_t compile_bytes_per_thread = uint64_t{256} * 1024;
  // JIT code checks the code generator's own invariants at run time (today: an i32 used through
  // its 64-bit register, as a memory index, a table index or zero-extended, has its upper half
  // zero) and aborts with "internal error" when one fails. On in debug builds, in the spec-test
  // runner and the differential fuzzer (`--verify-jit`); costs a few instructions per check.
#ifdef NDEBUG
  bool verify_jit_invariants = false;
#else
  bool verify_jit_invariants = true;
#endif
  // Tests only: take an i32 from a 64-bit value (i32.wrap_i64, a C call's uint32_t result)
  // without zero-extending it, leaving it in the 64-bit value's register: what asmjit's deletion
  // of a `mov r32, r32` used to produce. The verifier's tests need a violation to catch.
  bool testing_unsafe_wrap = false;
  // Bytes of native stack that wasm frames may use below a thread's outermost call into wasm
  // (Wasmtime's `max_wasm_stack`); deeper, a call traps "call stack exhausted". A thread whose
  // stack cannot hold this plus signals::kHostStackReserve gives wasm only what it has left.
  uint64_t max_wasm_stack = kDefaultMaxWasmStack;
  // Bounded compile cost for large functions (docs/ARCHITECTURE.md, "Compile cost"): a function
  // whose virtual registers x labels (what asmjit's allocator costs) exceed
  // max_allocator_pressure has its virtual registers compacted (vreg_compactor.h), and one with
  // more than max_register_locals locals keeps them in stack slots. Tests set both to 0 to
  // compile every function that way.
  uint64_t max_allocator_pressure = uint64_t{2} << 20;
  uint32_t max_register_locals = 512;
  // JIT code checks a C program's stack pointer (clang's `__stack_pointer` global) where it
  // moves, at each global.set of it, and traps with "stack overflow" when it leaves the stack
  // (c_stack.h). `wasmgrind run --no-stack-check` turns it off.
  bool check_c_stack = true;
  // --memcheck: every load and store of memory 0 checks its shadow (memcheck/shadow_layout.h)
  // inline, __stack_pointer moves and the allocator functions (memcheck_calls.h) go to the
  // instance's MemoryChecker. Instances of such code must have one (Store::Options).
  bool memcheck = false;
  // With memcheck: uninitialised values are tracked (V bits through every value, local, global,
  // call and memory byte) and reported where they decide behaviour (--undef-value-errors).
  bool memcheck_values = false;
  // With memcheck_values: each value also carries the origin of its undefined bits, which the
  // reports name (--track-origins=yes).
  bool memcheck_origins = false;
  // With memcheck: JIT code addresses the shadow through the GS segment (vm/shadow_segment.h)
  // where the CPU and kernel allow it, which frees the register the shadow base takes (a
  // spilled one costs a load per access). The Engine clears it where they do not; tests clear
  // it to cover the other way.
  bool memcheck_shadow_segment = true;
};

class Engine {
 public:
  explicit Engine(EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Equal types share an id; ids are dense from 0 and never reused.
  uint32_t InternType(const FuncType& type);
  const FuncType& TypeOf(uint32_t type_id) const;

  // Generated on first use and cached for the Engine's life.
  Result<EntryTrampoline> EntryTrampolineFor(uint32_t type_id);
  // A wasm-convention function that forwards to wg_rt_CallHost (see runtime_calls.def).
  Result<const void*> HostStubFor(uint32_t type_id);

  CodeMemory& code_memory();
  const EngineOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wasmgrind
