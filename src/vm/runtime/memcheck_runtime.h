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
#include <span>
#include <vector>

#include "memcheck/allocator_functions.h"
#include "memcheck/memory_checker.h"
#include "memcheck/return_address_depot.h"
#include "vm/guest_memory_observer.h"
#include "vm/result.h"
#include "vm/runtime/api.h"
#include "vm/runtime/runtime_access.h"

namespace wasmgrind {

// The frame address of this thread's innermost wg_rt_CallHost (0: no host call running), set
// and restored around every host call (runtime_calls.cc): a host function's memory checks
// (McHostObserver) name its wasm caller from there, through the host stub's rbp frame.
inline thread_local uintptr_t t_host_call_frame = 0;

// The checker of one instance as its memory 0's GuestMemoryObserver: what the WASI host
// functions read and write, reported as Valgrind reports a system call's parameters.
class McHostObserver final : public GuestMemoryObserver {
 public:
  explicit McHostObserver(const InstanceImpl& inst) : inst_(inst) {}
  void OnHostAccess(Access access, uint64_t address, uint64_t length, std::string_view call,
                    std::string_view param) override;
  void OnHostWrote(uint64_t address, uint64_t length) override;

 private:
  const InstanceImpl& inst_;
};

struct McInstanceState {
  McInstanceState() = default;
  McInstanceState(const McInstanceState&) = delete;
  McInstanceState& operator=(const McInstanceState&) = delete;
  ~McInstanceState();  // unregisters the shadow before the checker unmaps it

  std::unique_ptr<memcheck::MemoryChecker> checker;
  std::optional<memcheck::AllocatorFunctions> allocator;  // when the module has one
  // Return address -> its wasm frame, direct-mapped: every malloc and free walks the stack,
  // mostly through the same few call sites, and the PC maps are a binary search each.
  struct CachedFrame {
    uintptr_t pc = 0;
    memcheck::Frame frame;  // function index + 1 (0: not this module's code), offset
  };
  static constexpr size_t kFrameCacheSize = 4096;
  std::vector<CachedFrame> frame_cache = std::vector<CachedFrame>(kFrameCacheSize);
  std::vector<memcheck::Frame> scratch_frames;  // the allocator hooks' backtrace, reused
  // --track-origins: the one-frame site a stack origin names, by the return address of the
  // JIT call that moved the pointer (or of the access that found a leaf frame), direct-mapped:
  // every frame of every call is tagged, and capturing and interning its site each time cost
  // more than the rest of the move (McStackOriginSite).
  struct CachedStackSite {
    uintptr_t pc = 0;
    memcheck::BacktraceId site = memcheck::kNoBacktrace;
  };
  static constexpr size_t kStackSiteCacheSize = 1024;
  std::vector<CachedStackSite> stack_sites;  // sized when origins are tracked
  // The allocator hooks' backtraces by raw return-address chain: a repeated allocation site
  // costs a walk and one hash, no frame lookups and no interning.
  memcheck::ReturnAddressDepot allocation_sites;
  std::vector<uint32_t> scratch_code_offsets;
  // Every defined function's code lies in [code_begin, code_begin + code_span): a return
  // address outside is no frame of this module's (the walk's end), no lookup needed.
  uintptr_t code_begin = 0;
  uintptr_t code_span = 0;
  uintptr_t registered_shadow = 0;
  // EngineOptions::memcheck_values: the code tracks V bits; loads and stores exchange them
  // with the checker on their slow path (VMContextHeader::mc_vbits).
  bool track_values = false;
  std::vector<uint64_t> global_vbits;  // VMContextHeader::global_vbits, one word per global
  bool track_origins = false;          // EngineOptions::memcheck_origins
  // --keep-stacktraces: whether allocations' and frees' stacks are kept. A hook whose stack
  // is not kept walks the stack only to report an error.
  bool keep_alloc_sites = true;
  bool keep_free_sites = true;
  bool trace_malloc = false;             // --trace-malloc
  std::vector<uint32_t> global_origins;  // VMContextHeader::global_origins
  std::optional<McHostObserver> host_observer;
  LinearMemory* observed_memory = nullptr;  // whose host_observer is ours, until we go
};

// Instantiation (instantiate.cc): gives `inst` its checker if its code was compiled for one.
Result<void> AttachMemcheck(StoreImpl& store, InstanceImpl& inst);

// `inst`'s code called the runtime: [address, address + length) of memory 0 is read or written
// by the runtime for it (bulk memory, libc replacements). `return_address`/`frame_address`:
// the runtime call's (WG_CALLER_PC, WG_FRAME_ADDRESS), from which the report's backtrace is
// walked. Returns true if the range was bad (and reported).
bool McCheckRuntimeRange(const InstanceImpl& inst, memcheck::AccessKind access, uint64_t address,
                         uint64_t length, uintptr_t return_address, uintptr_t frame_address);

// The leak search's roots at exit: memory below the heap but for the dead part of the C
// stack, and every i32 global (memcheck_leak_search.cc).
memcheck::LeakRoots McLeakRoots(const InstanceImpl& inst);

// The program ended: the leak check from McLeakRoots and the summaries. Returns the exit
// status.
int McFinish(const InstanceImpl& inst, int program_status);

// A leak search mid-run (VALGRIND_DO_LEAK_CHECK and its kinds; `mode` and `delta` are
// Valgrind's request arguments), requested by JIT code whose stack pointer at the call was
// `caller_sp` and frame pointer `caller_fp`. Its roots are McLeakRoots' and the running wasm
// functions' locals: the JIT frames' words from `caller_sp` up and the callee-saved
// `registers` the call arrived with.
void McSearchLeaks(const InstanceImpl& inst, uint32_t mode, uint32_t delta,
                   std::span<const uintptr_t> registers, uintptr_t caller_sp, uintptr_t caller_fp);

// VALGRIND_COUNT_LEAKS (bytes) or COUNT_LEAK_BLOCKS (`blocks`): the last search's leaked,
// dubious, reachable and suppressed amounts, written as 4-byte words at the addresses `out`.
void McCountLeaks(const InstanceImpl& inst, bool blocks, const uint32_t (&out)[4]);

// What memcheck needs to know of a module's memory: the C stack (the module's, c_stack.h), its
// global variables (DWARF) and, when it has allocation functions to replace, where the heap
// starts (above the stack and the data, where wasm-ld puts __heap_base in either layout).
// --trace-malloc's line for the allocation call `call` (PackMcAllocatorCall) with arguments
// a0..a2 that returned `result` (for posix_memalign, `stored_pointer` is the block it stored),
// as Valgrind's replacements print it: "malloc(10) = 0x10610", "_ZdlPv(0x10610)". Empty: no
// line (posix_memalign refusing its arguments).
std::string McTraceMallocLine(uint32_t call, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t result,
                              uint32_t stored_pointer);

memcheck::MemoryLayout McLayoutOf(const Module& module, uint64_t memory_size, bool has_allocator);

// The wasm backtrace of JIT code of `inst`'s module, from `pc` (a return address into it, or
// with `top_offset` the innermost frame's wasm offset given) and the frame pointer `fp`, at
// most --num-callers frames (or `max_frames`, if not 0). Return addresses seen before are
// looked up in `state`'s cache rather than in the PC maps again.
memcheck::Backtrace McBacktrace(const InstanceImpl& inst, uintptr_t pc, uintptr_t fp,
                                std::optional<uint32_t> top_offset, uint32_t max_frames = 0);

// The wasm backtrace of the code that called the running host function (from the innermost
// wg_rt_CallHost's frame, t_host_call_frame): where a WASI call's reports and records point.
// Empty outside a host call.
memcheck::Backtrace McHostCallerBacktrace(const InstanceImpl& inst);

}  // namespace wasmgrind

// What the thunks (wg_mc_AccessThunk, wg_mc_StackPointerThunk, wg_mc_UninitThunk:
// vm/memcheck_calls.def) call,
// with the thunk's rbp frame (vm/memcheck_calls.h).
extern "C" {
void wg_mc_Access(wasmgrind::VMContext* vmctx, uint64_t address, uint64_t info,
                  const uintptr_t* frame);
void wg_mc_StackPointer(wasmgrind::VMContext* vmctx, uint64_t sp, uint64_t wasm_offset,
                        const uintptr_t* frame);
void wg_mc_Uninit(wasmgrind::VMContext* vmctx, uint64_t info, uint64_t origin,
                  const uintptr_t* frame);
}
