// The data layout that JIT code reads and writes. Everything compiled code touches is declared
// here, once: the per-instance VMContext (computed offsets, see VMOffsets), the definitions it
// points at, and the calling convention. Changing a field here changes the JIT; the
// static_asserts next to each struct pin the layout JIT code assumes.
//
// Ownership: the Store owns memories, tables, globals and instances; a VMContext only holds
// pointers to their definitions, so an exported memory imported elsewhere is one object.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "vm/module_info.h"
#include "vm/runtime_calls.h"

namespace wasmgrind {

struct VMContext;  // opaque: an instance's context block, laid out by VMOffsets

// A linear memory as compiled code sees it. `base` never moves (the whole 32-bit space plus
// guard is reserved up front); `current_length` is in bytes and changes on memory.grow.
struct VMMemoryDefinition {
  uint8_t* base = nullptr;
  uint64_t current_length = 0;
};
static_assert(offsetof(VMMemoryDefinition, base) == 0 &&
              offsetof(VMMemoryDefinition, current_length) == 8);

// A table: `elements[i]` is a VMFuncRef* (funcref tables) or an externref's host value,
// 0 meaning null in both. `elements` may move on table.grow, so compiled code reloads it.
struct VMTableDefinition {
  uintptr_t* elements = nullptr;
  uint32_t size = 0;  // JIT code compares it with a 32-bit index
  uint32_t reserved_ = 0;
};
static_assert(offsetof(VMTableDefinition, elements) == 0 && offsetof(VMTableDefinition, size) == 8);
static_assert(sizeof(VMTableDefinition::size) == 4);

// A global's cell: the value sits at offset 0 in its natural width (16 bytes for v128 later).
struct alignas(16) VMGlobal {
  uint8_t bytes[16] = {};
};
static_assert(sizeof(VMGlobal) == 16);

// A function reference: what funcref values point at and what call_indirect calls.
// `vmctx` is the callee's context (for host functions, its HostFunctionContext).
struct VMFuncRef {
  const void* code = nullptr;  // native entry, wasm calling convention (see below)
  VMContext* vmctx = nullptr;
  uint32_t type_id = 0;  // the Engine's canonical id of the function type
};
// call_indirect compares type_id with a 32-bit immediate; VMOffsets keeps an array of these
// 8-byte aligned.
static_assert(offsetof(VMFuncRef, code) == 0 && offsetof(VMFuncRef, vmctx) == 8 &&
              offsetof(VMFuncRef, type_id) == 16 && sizeof(VMFuncRef::type_id) == 4);
static_assert(sizeof(VMFuncRef) == 24 && alignof(VMFuncRef) == 8);

// Header of every VMContext; the arrays described by VMOffsets follow it.
struct VMStoreContext;
struct VMContextHeader {
  // First, in every context JIT code is given (a host function's context starts with it too,
  // runtime/function.h): runtime calls load the table from [vmctx] (runtime_calls.h).
  const VMRuntimeCalls* runtime_calls = nullptr;
  VMStoreContext* store_context = nullptr;
  void* instance = nullptr;  // the runtime's Instance*, for runtime calls
  // A copy of store_context->stack_limit, kept equal by VMStoreContext::SetStackLimit: every
  // prologue compares rsp with it, and one load is cheaper than two dependent ones.
  uintptr_t stack_limit = 0;
  // --memcheck: the shadow of memory 0 (memcheck/shadow_layout.h: byte a's state is at
  // shadow_base[a]); null when the instance is not checked. It never moves.
  uint8_t* shadow_base = nullptr;
  // shadow_base when the instance's code addresses it through GS (vm/shadow_segment.h), else
  // null: what a host-to-wasm entry or a call from another instance sets GS's base to.
  uint8_t* shadow_segment = nullptr;
  // --memcheck with uninitialised-value tracking (ModuleEnv::track_values; V bits: a set bit is
  // an undefined bit). A load's slow path leaves its value's V bits in mc_vbits, and a store's
  // slow path finds its value's there. A call passes its arguments' V bits in the callee's
  // param_vbits (every call site writes them; entry trampolines write zeros) and gets its
  // results' back in the callee's result_vbits (every return writes them; calls that may reach
  // host code zero them first). Values past these counts are taken as defined. global_vbits:
  // one word per global index, owned by the instance's checker.
  uint64_t mc_vbits = 0;
  uint64_t* global_vbits = nullptr;
  uint64_t param_vbits[16] = {};
  uint64_t result_vbits[4] = {};
  // --track-origins=yes: the same for each value's origin (memcheck's id of where its undefined
  // bits were created; 0: none). mc_origin: a load's from the slow path, a store's to it.
  uint32_t mc_origin = 0;
  uint32_t param_origins[16] = {};
  uint32_t result_origins[4] = {};
  uint32_t* global_origins = nullptr;
};
inline constexpr uint32_t kMaxParamVBits = 16;
inline constexpr uint32_t kMaxResultVBits = 4;
// JIT code reads every field with a 64-bit load; the arrays VMOffsets lays out after the header
// stay 8-byte aligned.
static_assert(offsetof(VMContextHeader, runtime_calls) == 0, "first in every context");
static_assert(sizeof(VMContextHeader) % 8 == 0);

// How much native stack wasm frames may use below the outermost host-to-wasm entry of a thread
// (EngineOptions::max_wasm_stack, `--max-wasm-stack`). 1 MiB: about node's whole stack and
// twice Wasmtime's default, so programs that run under either run here.
inline constexpr uint64_t kDefaultMaxWasmStack = 1u << 20;

// Per-store state shared by all instances of a Store.
struct VMStoreContext {
  // Wasm code traps with "call stack exhausted" when a frame would take rsp below this. Set
  // on each host-to-wasm entry (trap_boundary.cc): the outermost entry of a thread puts it
  // max_wasm_stack below its own frame, but never lower than the thread's stack bottom plus
  // signals::kHostStackReserve; nested entries keep the outermost one's.
  uintptr_t stack_limit = 0;
  // Runtime only (compiled code never reads these): the wasm stack budget, and the store's
  // instances, whose VMContextHeader::stack_limit copies follow stack_limit.
  uint64_t max_wasm_stack = kDefaultMaxWasmStack;
  std::vector<VMContextHeader*> contexts;

  void SetStackLimit(uintptr_t limit) {
    stack_limit = limit;
    for (VMContextHeader* h : contexts) h->stack_limit = limit;
  }
  void AddContext(VMContextHeader* h) {
    h->store_context = this;
    h->stack_limit = stack_limit;
    contexts.push_back(h);
  }
};

// One 16-byte slot per value when values pass through memory (trampolines, the spilled ABI).
struct alignas(16) VMVal {
  uint8_t bytes[16] = {};
};
static_assert(sizeof(VMVal) == 16);

// Offsets of every VMContext field, computed from a module's counts:
//   [header]
//   VMMemoryDefinition* memories[num_memories]      (imported and defined)
//   uint8_t*            memory_bases[num_memories]  (copies of memories[i]->base, which never
//                                                    moves: one load instead of two)
//   VMTableDefinition*  tables[num_tables]
//   VMGlobal*           globals[num_globals]
//   VMFuncRef*          func_refs[num_funcs]        (what call / ref.func use)
//   VMFuncRef           defined_func_refs[num_defined_funcs]  (storage for the above)
class VMOffsets {
 public:
  explicit VMOffsets(const ModuleInfo& m)
      : VMOffsets(static_cast<uint32_t>(m.memories.size()), static_cast<uint32_t>(m.tables.size()),
                  static_cast<uint32_t>(m.globals.size()),
                  static_cast<uint32_t>(m.func_types.size()), m.num_defined_funcs()) {}
  constexpr VMOffsets(uint32_t memories, uint32_t tables, uint32_t globals, uint32_t funcs,
                      uint32_t defined_funcs)
      : num_memories_(memories), num_tables_(tables), num_globals_(globals), num_funcs_(funcs) {
    memories_ = kFirstMemory;
    memory_bases_ = memories_ + memories * sizeof(void*);
    tables_ = memory_bases_ + memories * sizeof(void*);
    globals_ = tables_ + tables * sizeof(void*);
    func_refs_ = globals_ + globals * sizeof(void*);
    defined_func_refs_ = func_refs_ + funcs * sizeof(void*);
    size_ = defined_func_refs_ + defined_funcs * sizeof(VMFuncRef);
  }

  static constexpr uint32_t RuntimeCalls() { return offsetof(VMContextHeader, runtime_calls); }
  static constexpr uint32_t StoreContext() { return offsetof(VMContextHeader, store_context); }
  static constexpr uint32_t Instance() { return offsetof(VMContextHeader, instance); }
  static constexpr uint32_t StackLimit() { return offsetof(VMContextHeader, stack_limit); }
  static constexpr uint32_t ShadowBase() { return offsetof(VMContextHeader, shadow_base); }
  static constexpr uint32_t ShadowSegment() { return offsetof(VMContextHeader, shadow_segment); }
  // Element i of one of the header's arrays, `size` bytes each.
  static constexpr uint32_t Element(size_t array, uint32_t i, size_t size) {
    return static_cast<uint32_t>(array + size_t{i} * size);
  }
  static constexpr uint32_t McVBits() { return offsetof(VMContextHeader, mc_vbits); }
  static constexpr uint32_t GlobalVBits() { return offsetof(VMContextHeader, global_vbits); }
  static constexpr uint32_t ParamVBits(uint32_t i) {
    return Element(offsetof(VMContextHeader, param_vbits), i, 8);
  }
  static constexpr uint32_t ResultVBits(uint32_t i) {
    return Element(offsetof(VMContextHeader, result_vbits), i, 8);
  }
  static constexpr uint32_t McOrigin() { return offsetof(VMContextHeader, mc_origin); }
  static constexpr uint32_t GlobalOrigins() { return offsetof(VMContextHeader, global_origins); }
  static constexpr uint32_t ParamOrigin(uint32_t i) {
    return Element(offsetof(VMContextHeader, param_origins), i, 4);
  }
  static constexpr uint32_t ResultOrigin(uint32_t i) {
    return Element(offsetof(VMContextHeader, result_origins), i, 4);
  }
  constexpr uint32_t Memory(uint32_t i) const { return memories_ + i * sizeof(void*); }
  // Memory(0) of every module, for code that has a vmctx but not its module's VMOffsets (the
  // native libc replacements).
  static constexpr uint32_t kFirstMemory = sizeof(VMContextHeader);
  constexpr uint32_t MemoryBase(uint32_t i) const { return memory_bases_ + i * sizeof(void*); }
  constexpr uint32_t Table(uint32_t i) const { return tables_ + i * sizeof(void*); }
  constexpr uint32_t Global(uint32_t i) const { return globals_ + i * sizeof(void*); }
  constexpr uint32_t FuncRef(uint32_t i) const { return func_refs_ + i * sizeof(void*); }
  constexpr uint32_t DefinedFuncRef(uint32_t i) const {
    return defined_func_refs_ + i * static_cast<uint32_t>(sizeof(VMFuncRef));
  }
  constexpr uint32_t size() const { return size_; }

  constexpr uint32_t num_memories() const { return num_memories_; }
  constexpr uint32_t num_tables() const { return num_tables_; }
  constexpr uint32_t num_globals() const { return num_globals_; }
  constexpr uint32_t num_funcs() const { return num_funcs_; }

 private:
  uint32_t num_memories_, num_tables_, num_globals_, num_funcs_;
  uint32_t memories_ = 0, memory_bases_ = 0, tables_ = 0, globals_ = 0, func_refs_ = 0,
           defined_func_refs_ = 0, size_ = 0;
};
// The layout above, on one set of counts (2 memories, 3 tables, 4 globals, 5 functions of which
// 2 defined): each array follows the previous one, pointer-sized slots, VMFuncRefs aligned.
static_assert([] {
  constexpr VMOffsets o(2, 3, 4, 5, 2);
  return o.Memory(0) == VMOffsets::kFirstMemory && o.MemoryBase(0) == o.Memory(0) + 2 * 8 &&
         o.Table(0) == o.MemoryBase(0) + 2 * 8 && o.Global(0) == o.Table(0) + 3 * 8 &&
         o.FuncRef(0) == o.Global(0) + 4 * 8 && o.DefinedFuncRef(0) == o.FuncRef(0) + 5 * 8 &&
         o.DefinedFuncRef(0) % alignof(VMFuncRef) == 0 &&
         o.size() == o.DefinedFuncRef(0) + 2 * sizeof(VMFuncRef);
}());
static_assert(VMOffsets::kFirstMemory % alignof(VMFuncRef) == 0);

// ---------------------------------------------------------------------------------------
// The wasm calling convention (every wasm function, host stub and trampoline agrees on it).
// Arguments and results are assigned as in SysV; the callee-saved registers are r10-r15 and rbp
// rather than SysV's rbx, rbp, r12-r15 (jit/abi.h, kWasmPreservedGp, says why).
//
// Register ABI, used when the type has at most kMaxRegisterParams params and at most one
// result: a SysV function  `R f(VMContext* vmctx, P0 p0, ..., Pn pn)`  with i32 -> uint32_t,
// i64 -> uint64_t, f32 -> float, f64 -> double, funcref/externref -> uintptr_t, and R the
// single result's type (void if none).
//
// Buffer ABI, for everything else (many params or multi-value): `void f(VMContext* vmctx,
// VMVal* io)`, params in io[0..n), results written back to io[0..m) on return; the caller
// provides max(n, m) slots.
constexpr uint32_t kMaxRegisterParams = 12;
enum class WasmAbi : uint8_t { Register, Buffer };
inline WasmAbi AbiFor(const FuncType& t) {
  return (t.params.size() <= kMaxRegisterParams && t.results.size() <= 1) ? WasmAbi::Register
                                                                          : WasmAbi::Buffer;
}

// Host-to-wasm entry trampoline, one per canonical function type: loads the arguments from
// `args_results` (one VMVal per param), calls `code` with `vmctx` in the wasm convention and
// stores the results into `args_results` (one VMVal per result). It traps "call stack
// exhausted" before allocating its frame if that would take rsp below `stack_limit` (an
// argument, not read from `vmctx`: the callee may be a host stub, whose vmctx is no VMContext).
using EntryTrampoline = void (*)(VMContext* vmctx, const void* code, VMVal* args_results,
                                 uintptr_t stack_limit);

}  // namespace wasmgrind
