// The runtime side of --memcheck (see memcheck_runtime.h) and the calls JIT code makes
// (memcheck_calls.h).
#include "vm/runtime/memcheck_runtime.h"

#include <algorithm>
#include <cstring>

#include "signals/jump_target.h"
#include "signals/memory_registry.h"
#include "vm/c_stack.h"
#include "vm/debug/data_symbols.h"
#include "vm/jit/compiled_code.h"
#include "vm/jit/engine.h"
#include "vm/memcheck_calls.h"
#include "vm/runtime/global.h"
#include "vm/runtime/instance.h"
#include "vm/runtime/runtime_call_impls.h"
#include "vm/runtime/store.h"
#include "vm/runtime/trap_boundary.h"

// The thunks (memcheck_calls.h): save every caller-saved register the SysV C function may
// clobber, realign the stack (JIT code calls them from any depth of its frame), and pass the
// thunk's own frame as the fourth argument.
#define WG_MC_THUNK(thunk, target)                                   \
  asm(".text\n"                                                      \
      ".p2align 4\n"                                                 \
      ".globl " #thunk                                               \
      "\n"                                                           \
      ".type " #thunk ", @function\n" #thunk                         \
      ":\n"                                                          \
      ".intel_syntax noprefix\n"                                     \
      "  push rbp\n"                                                 \
      "  mov rbp, rsp\n"                                             \
      "  push rax\n  push rcx\n  push rdx\n  push rsi\n  push rdi\n" \
      "  push r8\n  push r9\n  push r10\n  push r11\n"               \
      "  sub rsp, 256\n"                                             \
      "  and rsp, -16\n"                                             \
      "  movdqa [rsp + 0], xmm0\n  movdqa [rsp + 16], xmm1\n"        \
      "  movdqa [rsp + 32], xmm2\n  movdqa [rsp + 48], xmm3\n"       \
      "  movdqa [rsp + 64], xmm4\n  movdqa [rsp + 80], xmm5\n"       \
      "  movdqa [rsp + 96], xmm6\n  movdqa [rsp + 112], xmm7\n"      \
      "  movdqa [rsp + 128], xmm8\n  movdqa [rsp + 144], xmm9\n"     \
      "  movdqa [rsp + 160], xmm10\n  movdqa [rsp + 176], xmm11\n"   \
      "  movdqa [rsp + 192], xmm12\n  movdqa [rsp + 208], xmm13\n"   \
      "  movdqa [rsp + 224], xmm14\n  movdqa [rsp + 240], xmm15\n"   \
      "  mov rcx, rbp\n"                                             \
      "  call " #target                                              \
      "\n"                                                           \
      "  movdqa xmm0, [rsp + 0]\n  movdqa xmm1, [rsp + 16]\n"        \
      "  movdqa xmm2, [rsp + 32]\n  movdqa xmm3, [rsp + 48]\n"       \
      "  movdqa xmm4, [rsp + 64]\n  movdqa xmm5, [rsp + 80]\n"       \
      "  movdqa xmm6, [rsp + 96]\n  movdqa xmm7, [rsp + 112]\n"      \
      "  movdqa xmm8, [rsp + 128]\n  movdqa xmm9, [rsp + 144]\n"     \
      "  movdqa xmm10, [rsp + 160]\n  movdqa xmm11, [rsp + 176]\n"   \
      "  movdqa xmm12, [rsp + 192]\n  movdqa xmm13, [rsp + 208]\n"   \
      "  movdqa xmm14, [rsp + 224]\n  movdqa xmm15, [rsp + 240]\n"   \
      "  lea rsp, [rbp - 72]\n"                                      \
      "  pop r11\n  pop r10\n  pop r9\n  pop r8\n"                   \
      "  pop rdi\n  pop rsi\n  pop rdx\n  pop rcx\n  pop rax\n"      \
      "  pop rbp\n"                                                  \
      "  ret\n"                                                      \
      ".att_syntax prefix\n"                                         \
      ".size " #thunk ", . - " #thunk "\n")

WG_MC_THUNK(wg_mc_AccessThunk, wg_mc_Access);
WG_MC_THUNK(wg_mc_StackPointerThunk, wg_mc_StackPointer);
WG_MC_THUNK(wg_mc_UninitThunk, wg_mc_Uninit);

namespace wasmgrind {
namespace {

uint64_t AlignUp(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

bool McAllocatorAllocates(McAllocatorKind kind) {
  switch (kind) {
    case McAllocatorKind::Free:
    case McAllocatorKind::Delete:
    case McAllocatorKind::DeleteArray:
    case McAllocatorKind::UsableSize: return false;
    default: return true;
  }
}

}  // namespace

McInstanceState::~McInstanceState() {
  if (observed_memory != nullptr && host_observer &&
      observed_memory->host_observer() == &*host_observer) {
    RuntimeAccess::SetHostObserver(*observed_memory, nullptr);
  }
  if (registered_shadow != 0) signals::UnregisterMemoryRange(registered_shadow);
}

void McHostObserver::OnHostAccess(Access access, uint64_t address, uint64_t length,
                                  std::string_view call, std::string_view param) {
  memcheck::MemoryChecker& checker = *inst_.memcheck->checker;
  // Valgrind names the Linux call and its parameter ("write(buf)"); a wasm program makes no
  // Linux calls, so the WASI function and its witx parameter stand in ("fd_write(buf)").
  std::string name = std::string(call) + "(" + std::string(param) + ")";
  checker.CheckSyscallParam(
      access == Access::Read ? memcheck::AccessKind::Read : memcheck::AccessKind::Write, address,
      length, name, [&] { return McHostCallerBacktrace(inst_); });
}

memcheck::Backtrace McHostCallerBacktrace(const InstanceImpl& inst) {
  // The host stub's frame (under wg_rt_CallHost's): [0] its wasm caller's rbp, [1] the
  // return address into the caller.
  if (t_host_call_frame == 0) return memcheck::Backtrace{};
  const auto* stub = *reinterpret_cast<const uintptr_t* const*>(t_host_call_frame);
  return McBacktrace(inst, stub[1], stub[0], std::nullopt);
}

void McHostObserver::OnHostWrote(uint64_t address, uint64_t length) {
  inst_.memcheck->checker->OnHostWrote(address, length);
}

bool McCheckRuntimeRange(const InstanceImpl& inst, memcheck::AccessKind access, uint64_t address,
                         uint64_t length, uintptr_t return_address, uintptr_t frame_address) {
  return inst.memcheck->checker->CheckRange(access, address, length, [&] {
    return McBacktrace(inst, return_address, *reinterpret_cast<const uintptr_t*>(frame_address),
                       std::nullopt);
  });
}

memcheck::MemoryLayout McLayoutOf(const Module& compiled, uint64_t memory_size,
                                  bool has_allocator) {
  const ModuleInfo& module = compiled.info();
  memcheck::MemoryLayout layout;
  layout.memory_size = memory_size;
  const std::optional<CStackRegion>& stack = compiled.c_stack();
  if (stack) {
    layout.stack = memcheck::AddressRange{stack->bottom, stack->top};
    layout.initial_stack_pointer = stack->top;
  }
  if (has_allocator) {
    // __heap_base: past the stack's top and every active data segment of memory 0.
    uint64_t heap = stack ? stack->top : 0;
    for (const DataSegment& seg : module.datas) {
      if (seg.mode != SegmentMode::Active || seg.memory_index != 0) continue;
      const std::vector<ConstInstr>& expr = seg.offset.instrs;
      if (expr.size() != 1 || expr[0].op != Opcode::I32Const) continue;  // global-based: unknown
      heap = std::max<uint64_t>(heap, static_cast<uint32_t>(expr[0].bits) + seg.data_size);
    }
    // The .bss has no segment: its variables end where it does (--stack-first puts it on top).
    for (const DataSymbol& s : compiled.data_symbols()) {
      heap = std::max<uint64_t>(heap, uint64_t{s.address} + s.size);
    }
    layout.heap_base = static_cast<uint32_t>(std::min(AlignUp(heap, 16), memory_size));
  }
  for (const DataSymbol& s : compiled.data_symbols()) {
    layout.globals.push_back({s.address, s.size, s.name});
  }
  return layout;
}

namespace {

// One step up the rbp chain of JIT frames (signals/frame_walker.h): the caller's frame pointer
// and return address, or false where the chain ends (a frame pointer not 8-aligned, outside
// the stack, or not above the last). `last_fp`: FrameCeiling's, the highest frame pointer whose
// two words lie inside the stack (computed once per walk, not once per frame).
inline bool CallerFrame(uintptr_t& fp, uintptr_t& pc, uintptr_t last_fp) {
  if (fp % 8 != 0 || fp > last_fp) return false;
  const auto* words = reinterpret_cast<const uintptr_t*>(fp);
  const uintptr_t next_fp = words[0];
  pc = words[1];
  if (next_fp <= fp) return false;
  fp = next_fp;
  return true;
}

// The stack walks' ceiling: the top of this thread's stack, found once per thread (a frame
// pointer's own 64 MiB when the bounds are unknown), less a frame record's 16 bytes.
inline uintptr_t FrameCeiling(uintptr_t fp) {
  __attribute__((tls_model("initial-exec"))) static thread_local uintptr_t t_stack_top = 0;
  if (t_stack_top == 0) t_stack_top = signals::CurrentThreadStack().hi;
  return (t_stack_top != 0 ? t_stack_top : fp + (64u << 20)) - 16;
}

// McBacktrace into `out`, with the top frame's offset as a pointer (null: none): the allocator
// hook's first sight of a site calls this one inline, where passing a std::optional built it in
// memory byte by byte and read it back whole (a store-forwarding stall).
inline void CaptureFrames(const InstanceImpl& inst, uintptr_t pc, uintptr_t fp,
                          const uint32_t* top_offset, std::vector<memcheck::Frame>& out,
                          uint32_t max_frames = 0) {
  McInstanceState& state = *inst.memcheck;
  const CompiledCode& code = inst.module->code();
  const uint32_t imported = inst.module->info().num_imported_funcs;
  const uint32_t max = max_frames != 0 ? max_frames : std::max(1u, state.checker->num_callers());
  const uintptr_t last_fp = FrameCeiling(fp);
  out.clear();
  // The rbp chain of JIT frames (signals/frame_walker.h), as far as this module's code goes:
  // each frame pointer 8-aligned and above the last, inside the stack.
  for (uint32_t i = 0; out.size() < max; ++i) {
    McInstanceState::CachedFrame& cached =
        state.frame_cache[(pc ^ (pc >> 12)) % McInstanceState::kFrameCacheSize];
    if (cached.pc != pc || pc == 0) {
      // A return address: the call's own bytes end just before it.
      std::optional<uint32_t> defined = code.FunctionAt(pc - 1);
      std::optional<uint32_t> offset = defined ? code.WasmOffsetAt(pc - 1) : std::nullopt;
      cached.pc = pc;
      cached.frame = defined ? memcheck::Frame{imported + *defined + 1, offset.value_or(0)}
                             : memcheck::Frame{0, 0};
    }
    if (cached.frame.function_index == 0) break;  // host code: the walk is done
    memcheck::Frame frame{cached.frame.function_index - 1, cached.frame.offset};
    if (i == 0 && top_offset) frame.offset = *top_offset;
    out.push_back(frame);
    if (!CallerFrame(fp, pc, last_fp)) break;
  }
}

// The return addresses AllocationSite keys on, from `pc` and `fp` (see there), as offsets
// into the code less one (the call's last byte; `code_last` is code_begin + 1) at chain[0, n),
// at most `max`: returns n. The chain buffer is zero-padded.
inline size_t WalkChain(uint32_t* chain, uint32_t max, uintptr_t pc, uintptr_t fp,
                        uintptr_t code_last, uintptr_t code_span) {
  const uintptr_t last_fp = FrameCeiling(fp);
  for (uint32_t i = 0; i < max; ++i) {
    const uintptr_t offset = pc - code_last;
    if (offset >= code_span) return i;         // also pc == 0
    chain[i] = static_cast<uint32_t>(offset);  // code_span < 4 GiB
    if (i + 1 == max) return max;              // no read of a frame past the last
    if (!CallerFrame(fp, pc, last_fp)) return i + 1;
  }
  return max;
}

// WalkChain for the default --num-callers, the depot's kInline: unrolled, each frame's steps a
// straight line, and the chain stored and hashed as the depot's words (two offsets each) as
// it goes: `head_hash` is ReturnAddressDepot::HashHead of it. Its steps are CallerFrame's but
// for the alignment check, made once at the end for every frame pointer read through (x86
// reads a misaligned word, and the ceiling keeps it inside the stack): a misaligned one
// returns SIZE_MAX, for WalkChain to walk as CallerFrame would.
inline size_t WalkHead(uint32_t* chain, uintptr_t pc, uintptr_t fp, uintptr_t code_last,
                       uintptr_t code_span, uint64_t& head_hash) {
  using Depot = memcheck::ReturnAddressDepot;
  const uintptr_t last_fp = FrameCeiling(fp);
  uint64_t h = 0;
  uint64_t low = 0;    // an even offset, until its odd neighbour joins it in a word
  uintptr_t read = 0;  // the frame pointers read through, or-ed
  size_t n = Depot::kInline;
#pragma GCC unroll 16
  for (uint32_t i = 0; i < Depot::kInline; ++i) {
    const uintptr_t offset = pc - code_last;
    if (offset >= code_span) {
      n = i;
      break;
    }
    bool more = false;
    if (i + 1 < Depot::kInline && fp <= last_fp) {
      uintptr_t next_fp;
      std::memcpy(&next_fp, reinterpret_cast<const void*>(fp), sizeof next_fp);
      std::memcpy(&pc, reinterpret_cast<const void*>(fp + 8), sizeof pc);
      read |= fp;
      more = next_fp > fp;
      fp = next_fp;
    }
    if (i % 2 == 0) {
      low = offset;
    } else {
      const uint64_t word = low | uint64_t{offset} << 32;
      std::memcpy(chain + i - 1, &word, sizeof word);
      h += word * Depot::kWordFactors[i / 2];
    }
    if (!more) {
      n = i + 1;
      break;
    }
  }
  if (read % 8 != 0) return SIZE_MAX;
  if (n % 2 == 1) {  // an odd length: the last word's high half stays 0
    std::memcpy(chain + n - 1, &low, sizeof low);
    h += low * Depot::kWordFactors[n / 2];
  }
  head_hash = h + n * Depot::kSizeFactor;
  return n;
}

// The allocator hooks' backtrace: the raw chain of return addresses that CaptureFrames would
// walk (the same frame-pointer checks, and it ends where the module's code does), as offsets
// into the code, looked up in the depot; only a chain not seen before is converted and
// interned. CaptureFrames ends at the first return address that is no function of this
// module's: one outside the code's range ends both walks; one inside (a stub) ends
// CaptureFrames within the chain, so the chain still decides the frames.
// Begun here (the walk, and the depot's line on its way), finished by Find when the checker
// asks for the id, after the hook's other work.
class AllocationSite {
 public:
  AllocationSite(const InstanceImpl& inst, uintptr_t pc, uintptr_t fp)
      : inst_(inst), pc_(pc), fp_(fp) {
    McInstanceState& state = *inst.memcheck;
    const uint32_t max = std::max(1u, state.checker->num_callers());
    // The depot compares a chain's first kInline offsets whole: those past its end must be 0.
    std::vector<uint32_t>& scratch = state.scratch_code_offsets;
    if (scratch.size() < std::max<size_t>(max, Depot::kInline)) {
      scratch.resize(std::max<size_t>(max, Depot::kInline));
    }
    uint32_t* const chain = scratch.data();
    std::fill_n(chain, Depot::kInline, 0);
    const uintptr_t code_last = state.code_begin + 1;
    if (max == Depot::kInline) {
      uint64_t head_hash = 0;
      const size_t n = WalkHead(chain, pc, fp, code_last, state.code_span, head_hash);
      if (n != SIZE_MAX) {
        pending_ = state.allocation_sites.Begin(Depot::Chain{chain, n}, head_hash);
        return;
      }
      std::fill_n(chain, Depot::kInline, 0);
    }
    const size_t n = WalkChain(chain, max, pc, fp, code_last, state.code_span);
    pending_ = state.allocation_sites.Begin(Depot::Chain{chain, n});
  }

  memcheck::BacktraceId Find() const {
    return inst_.memcheck->allocation_sites.Finish(pending_, [this] { return Intern(); });
  }

 private:
  // A chain not seen before: its frames, interned (out of line: Find's hit path stays small).
  [[gnu::noinline]] memcheck::BacktraceId Intern() const {
    McInstanceState& state = *inst_.memcheck;
    CaptureFrames(inst_, pc_, fp_, nullptr, state.scratch_frames);
    return state.checker->InternBacktrace(state.scratch_frames);
  }

  using Depot = memcheck::ReturnAddressDepot;
  const InstanceImpl& inst_;
  uintptr_t pc_, fp_;
  Depot::Pending pending_;
};

// The replaced allocation function `which` with its arguments, `where` its backtrace.
uint32_t CallAllocator(memcheck::AllocatorFunctions& heap, McAllocatorKind which, uint32_t a0,
                       uint32_t a1, uint32_t a2, const memcheck::CaptureBacktrace& where) {
  using memcheck::AllocFamily;
  using memcheck::Deallocator;
  switch (which) {
    case McAllocatorKind::Malloc: return heap.Malloc(a0, AllocFamily::Malloc, where);
    case McAllocatorKind::Calloc: return heap.Calloc(a0, a1, where);
    case McAllocatorKind::Realloc: return heap.Realloc(a0, a1, where);
    case McAllocatorKind::Free: heap.Free(a0, Deallocator::Free, where); return 0;
    case McAllocatorKind::AlignedAlloc:
      return heap.AlignedAlloc(a0, a1, AllocFamily::Malloc, where);
    case McAllocatorKind::PosixMemalign: return heap.PosixMemalign(a0, a1, a2, where);
    case McAllocatorKind::UsableSize: return heap.UsableSize(a0);
    case McAllocatorKind::New: return heap.Malloc(a0, AllocFamily::New, where);
    case McAllocatorKind::NewArray: return heap.Malloc(a0, AllocFamily::NewArray, where);
    case McAllocatorKind::NewAligned: return heap.AlignedAlloc(a1, a0, AllocFamily::New, where);
    case McAllocatorKind::NewArrayAligned:
      return heap.AlignedAlloc(a1, a0, AllocFamily::NewArray, where);
    case McAllocatorKind::Delete: heap.Free(a0, Deallocator::Delete, where); return 0;
    case McAllocatorKind::DeleteArray: heap.Free(a0, Deallocator::DeleteArray, where); return 0;
  }
  return 0;
}

// CallAllocator for wg_mc_Allocator's `call` (PackMcAllocatorCall), writing its line under
// --trace-malloc: a free's before the call, as Valgrind's (an error it reports follows it),
// an allocation's after, with the block.
uint32_t CallMcAllocator(const InstanceImpl& inst, uint32_t call, uint32_t a0, uint32_t a1,
                         uint32_t a2, const memcheck::CaptureBacktrace& where) {
  McInstanceState& state = *inst.memcheck;
  const McAllocatorKind which = McAllocatorCallKind(call);
  if (!state.trace_malloc) [[likely]] {
    return CallAllocator(*state.allocator, which, a0, a1, a2, where);
  }
  memcheck::MemoryChecker& checker = *state.checker;
  const bool frees = which == McAllocatorKind::Free || which == McAllocatorKind::Delete ||
                     which == McAllocatorKind::DeleteArray;
  if (frees) checker.TraceMalloc(McTraceMallocLine(call, a0, a1, a2, 0, 0));
  const uint32_t result = CallAllocator(*state.allocator, which, a0, a1, a2, where);
  if (frees) return result;
  uint32_t stored = 0;
  const LinearMemory& memory = *inst.memories[0];
  if (which == McAllocatorKind::PosixMemalign && result == 0 &&
      uint64_t{a0} + sizeof stored <= memory.size_bytes()) {
    std::memcpy(&stored, memory.data() + a0, sizeof stored);
  }
  if (std::string line = McTraceMallocLine(call, a0, a1, a2, result, stored); !line.empty()) {
    checker.TraceMalloc(line);
  }
  return result;
}

}  // namespace

memcheck::Backtrace McBacktrace(const InstanceImpl& inst, uintptr_t pc, uintptr_t fp,
                                std::optional<uint32_t> top_offset, uint32_t max_frames) {
  memcheck::Backtrace frames;
  CaptureFrames(inst, pc, fp, top_offset ? &*top_offset : nullptr, frames, max_frames);
  return frames;
}

namespace {
bool AllFunctionsNamed(const ModuleInfo& info) {
  for (uint32_t f = info.num_imported_funcs; f < info.func_types.size(); ++f) {
    if (info.LinkName(f) == nullptr && info.ExportName(f) == nullptr) return false;
  }
  return true;
}
}  // namespace

Result<void> AttachMemcheck(StoreImpl& store, InstanceImpl& inst) {
  if (!store.engine.options().memcheck || inst.memories.empty()) return Ok();
  if (!store.memcheck_factory) {
    return Error::Make(ErrorKind::Usage,
                       "the module was compiled for --memcheck but the Store has no checker");
  }
  const ModuleInfo& info = inst.module->info();
  // Any replaced function needs the replacement heap: a program may link free() and no
  // allocation function (a free of a global or a local: still an invalid free), or calloc
  // without malloc. Only one that can allocate gets the memory above the data as its heap.
  bool has_allocator = false, allocates = false;
  for (uint32_t f = info.num_imported_funcs; f < info.func_types.size(); ++f) {
    auto a = FindMcAllocator(info, f);
    if (!a) continue;
    has_allocator = true;
    allocates = allocates || McAllocatorAllocates(a->kind);
  }
  LinearMemory& memory = *inst.memories[0];
  memcheck::MemoryLayout layout = McLayoutOf(*inst.module, memory.size_bytes(), has_allocator);
  layout.heap_allocates = allocates;
  TRY_ASSIGN(std::unique_ptr<memcheck::MemoryChecker> checker,
             store.memcheck_factory(*inst.module, layout));
  auto state = std::make_unique<McInstanceState>();
  state->checker = std::move(checker);
  // Where every function has a name and none is an allocator, the program has none (it never
  // allocates): nothing to say. Where some have no name (a stripped module), its malloc may be
  // among them, and the heap goes unchecked: that is worth a word.
  if (!has_allocator && !AllFunctionsNamed(info)) state->checker->WarnNoAllocator();
  const CompiledCode& code = inst.module->code();
  uintptr_t code_begin = UINTPTR_MAX, code_end = 0;
  for (uint32_t f = 0; f < code.num_functions(); ++f) {
    auto entry = reinterpret_cast<uintptr_t>(code.FunctionEntry(f));
    code_begin = std::min(code_begin, entry);
    code_end = std::max(code_end, entry + code.function(f).code_size);
  }
  // The allocation sites' chains hold return addresses as 32-bit offsets into the code: code
  // of 4 GiB or more gets no chain (every allocation then takes the full walk).
  if (code_begin < code_end && code_end - code_begin < UINT32_MAX) {
    state->code_begin = code_begin;
    state->code_span = code_end - code_begin;
  }
  // The shadow as a second view of memory 0, for the signal handler and fault reports.
  auto shadow = reinterpret_cast<uintptr_t>(state->checker->shadow_base());
  signals::RegisterMemoryRange(
      {shadow, shadow + memory.reserved_bytes(), &memory, &memory.definition()->current_length});
  state->registered_shadow = shadow;
  using Interval = boost::icl::interval<uintptr_t>::interval_type;
  inst.memory_ranges += std::make_pair(
      Interval::right_open(shadow, shadow + memory.reserved_bytes()), std::set<uint32_t>{0});
  if (layout.heap_base) {
    LinearMemory* mem = &memory;
    state->allocator.emplace(
        *state->checker, *layout.heap_base,
        [mem] { return std::span<uint8_t>(mem->data(), mem->size_bytes()); },
        [mem](uint32_t pages) -> std::optional<uint32_t> {
          Result<uint64_t> old = mem->Grow(pages);
          if (!old.ok()) return std::nullopt;
          return static_cast<uint32_t>(*old);
        });
  }
  inst.header()->shadow_base = state->checker->shadow_base();
  if (store.engine.options().memcheck_shadow_segment) {
    inst.header()->shadow_segment = state->checker->shadow_base();
  }
  state->keep_alloc_sites = memcheck::KeepsAllocStacks(state->checker->options().keep_stacktraces);
  state->keep_free_sites = memcheck::KeepsFreeStacks(state->checker->options().keep_stacktraces);
  state->trace_malloc = state->checker->options().trace_malloc;
  state->track_values = store.engine.options().memcheck_values;
  if (state->track_values) {
    state->global_vbits.assign(info.globals.size(), 0);
    inst.header()->global_vbits = state->global_vbits.data();
  }
  state->track_origins = state->track_values && store.engine.options().memcheck_origins;
  if (state->track_origins) {
    state->stack_sites.resize(McInstanceState::kStackSiteCacheSize);
    state->global_origins.assign(info.globals.size(), 0);
    inst.header()->global_origins = state->global_origins.data();
  }
  // The WASI host functions see memory 0 through its observer (vm/guest_memory_observer.h).
  // A memory shared by two checked instances keeps the first one's.
  if (memory.host_observer() == nullptr) {
    state->host_observer.emplace(inst);
    state->observed_memory = &memory;
    RuntimeAccess::SetHostObserver(memory, &*state->host_observer);
  }
  inst.memcheck = std::move(state);
  return Ok();
}

namespace {

// The site a stack origin names: the frame of the function that made the frame, at `pc` (a
// return address into its code) with the wasm offset `wasm_offset` (0: the call's own), and
// no frame beyond (MemoryChecker::StackOriginSite keeps only the innermost). A return
// address decides both, so each site is captured and interned once.
memcheck::BacktraceId McStackOriginSite(const InstanceImpl& inst, uintptr_t pc, uintptr_t fp,
                                        uint64_t wasm_offset) {
  McInstanceState& state = *inst.memcheck;
  McInstanceState::CachedStackSite& cached =
      state.stack_sites[(pc ^ (pc >> 12)) % McInstanceState::kStackSiteCacheSize];
  if (cached.pc != pc) {
    std::optional<uint32_t> top;
    if (wasm_offset != 0) top = static_cast<uint32_t>(wasm_offset);
    cached.site = state.checker->InternBacktrace(McBacktrace(inst, pc, fp, top, 1));
    cached.pc = pc;
  }
  return cached.site;
}

}  // namespace

}  // namespace wasmgrind

using namespace wasmgrind;

extern "C" {

void wg_mc_Access(VMContext* vmctx, uint64_t address, uint64_t info, const uintptr_t* frame) {
  McAccess access = UnpackMcAccessInfo(info);
  const InstanceImpl& inst = InstanceState(vmctx);
  memcheck::MemoryChecker& checker = *inst.memcheck->checker;
  if (access.leaf_frame &&
      checker.shadow().Get(address) == memcheck::ShadowState::BelowStackPointer) {
    if (inst.memcheck->track_origins) {
      checker.OnLeafFrame(static_cast<uint32_t>(address),
                          McStackOriginSite(inst, frame[1], frame[0], access.wasm_offset));
    } else {
      checker.OnLeafFrame(static_cast<uint32_t>(address));
    }
  }
  checker.CheckAccess(access.is_store ? memcheck::AccessKind::Write : memcheck::AccessKind::Read,
                      address, access.size,
                      [&] { return McBacktrace(inst, frame[1], frame[0], access.wasm_offset); });
  if (!inst.memcheck->track_values) return;
  auto* header = reinterpret_cast<VMContextHeader*>(vmctx);
  if (access.is_store) {
    checker.StoreVBits(address, access.size, header->mc_vbits);
    if (inst.memcheck->track_origins && header->mc_vbits != 0) {
      checker.StoreOrigin(address, access.size, header->mc_origin);
    }
  } else {
    header->mc_vbits = checker.LoadVBits(address, access.size);
    if (inst.memcheck->track_origins) {
      header->mc_origin = header->mc_vbits != 0 ? checker.OriginOf(address, access.size) : 0;
    }
  }
}

void wg_mc_Uninit(VMContext* vmctx, uint64_t info, uint64_t origin, const uintptr_t* frame) {
  const McUninit uninit = UnpackMcUninitInfo(info);
  const InstanceImpl& inst = InstanceState(vmctx);
  const auto use = uninit.use == McUninitUse::Condition
                       ? memcheck::MemoryChecker::UninitUse::Condition
                       : memcheck::MemoryChecker::UninitUse::Value;
  inst.memcheck->checker->ReportUninit(use, uninit.size, static_cast<uint32_t>(origin), [&] {
    return McBacktrace(inst, frame[1], frame[0], uninit.wasm_offset);
  });
}

void wg_mc_StackPointer(VMContext* vmctx, uint64_t sp, uint64_t wasm_offset,
                        const uintptr_t* frame) {
  memcheck::MemoryChecker& checker = *InstanceState(vmctx).memcheck->checker;
  if ((wasm_offset & kMcLeafFrameEntered) != 0) {
    // A leaf's frame (only --track-origins passes them here), created by the leaf.
    checker.OnLeafFrame(static_cast<uint32_t>(sp),
                        McStackOriginSite(InstanceState(vmctx), frame[1], frame[0],
                                          wasm_offset & ~kMcLeafFrameEntered));
    return;
  }
  if (!checker.track_origins()) return checker.OnStackPointerMove(static_cast<uint32_t>(sp));
  // --track-origins: the new frame's bytes were created by the function moving the pointer.
  // The thunk's call is no recorded site: its line needs the global.set's offset (0: none).
  // That frame is all a stack origin names (MemoryChecker::StackOriginSite): no walk beyond.
  checker.OnStackPointerMove(
      static_cast<uint32_t>(sp),
      McStackOriginSite(InstanceState(vmctx), frame[1], frame[0], wasm_offset));
}

uint32_t wg_mc_Allocator(VMContext* vmctx, uint32_t call, uint32_t a0, uint32_t a1, uint32_t a2) {
  const InstanceImpl& inst = InstanceState(vmctx);
  McInstanceState& state = *inst.memcheck;
  if (!state.allocator) return 0;  // free() without malloc(): nothing was ever allocated
  const McAllocatorKind which = McAllocatorCallKind(call);
  const bool frees = which == McAllocatorKind::Free || which == McAllocatorKind::Delete ||
                     which == McAllocatorKind::DeleteArray;
  // Every call but free(NULL) and malloc_usable_size records or reports its backtrace: its
  // walk is taken up front, its id found when the checker asks.
  if ((frees && a0 == 0) || which == McAllocatorKind::UsableSize) {
    return CallMcAllocator(inst, call, a0, a1, a2, memcheck::kNoBacktrace);
  }
  if (frees) state.allocator->PrefetchFree(a0);
  const uintptr_t pc = WG_CALLER_PC();
  const uintptr_t fp = *reinterpret_cast<const uintptr_t*>(WG_FRAME_ADDRESS());
  const bool kept = frees ? state.keep_free_sites
                    : which == McAllocatorKind::Realloc
                        ? state.keep_alloc_sites || state.keep_free_sites
                        : state.keep_alloc_sites;
  if (!kept) {
    // --keep-stacktraces keeps no stack of this call: one is walked only for a report.
    return CallMcAllocator(inst, call, a0, a1, a2,
                           [&] { return McBacktrace(inst, pc, fp, std::nullopt); });
  }
  const AllocationSite site(inst, pc, fp);
  return CallMcAllocator(inst, call, a0, a1, a2, [&site] { return site.Find(); });
}

}  // extern "C"

extern "C" uint32_t wg_mc_ClientRequest(VMContext* vmctx, uint32_t request, uint32_t a0,
                                        uint32_t a1, uint32_t a2, uint32_t a3) {
  const InstanceImpl& inst = InstanceState(vmctx);
  memcheck::MemoryChecker& checker = *inst.memcheck->checker;
  const uintptr_t pc = WG_CALLER_PC();
  const uintptr_t fp = *reinterpret_cast<const uintptr_t*>(WG_FRAME_ADDRESS());
  // The stack starts at the request's caller, as Valgrind's (its requests are inline code):
  // the replaced no-op function's own frame is dropped.
  auto where = [&] {
    memcheck::Backtrace frames = McBacktrace(inst, pc, fp, std::nullopt);
    if (frames.size() > 1) frames.erase(frames.begin());
    return frames;
  };
  // What Valgrind returns for the requests that only change state.
  constexpr uint32_t kDone = UINT32_MAX;
  constexpr size_t kMaxBlockDescription = 256;
  switch (static_cast<McClientRequest>(request)) {
    case McClientRequest::MakeMemNoAccess: checker.MakeMemNoAccess(a0, a1); return kDone;
    case McClientRequest::MakeMemUndefined: checker.MakeMemUndefined(a0, a1, where); return kDone;
    case McClientRequest::MakeMemDefined: checker.MakeMemDefined(a0, a1); return kDone;
    case McClientRequest::MakeMemDefinedIfAddressable:
      checker.MakeMemDefinedIfAddressable(a0, a1);
      return kDone;
    case McClientRequest::CheckMemIsAddressable:
      return static_cast<uint32_t>(checker.CheckMemIsAddressable(a0, a1, where));
    case McClientRequest::CheckMemIsDefined:
      return static_cast<uint32_t>(checker.CheckMemIsDefined(a0, a1, where));
    case McClientRequest::MallocLikeBlock:
      checker.MallocLikeBlock(a0, a1, a2, a3 != 0, where);
      return 0;
    case McClientRequest::ResizeInPlaceBlock:
      checker.ResizeInPlaceBlock(a0, a1, a2, a3, where);
      return 0;
    case McClientRequest::FreeLikeBlock: checker.FreeLikeBlock(a0, where); return 0;
    case McClientRequest::CreateMempool: checker.CreateMempool(a0, a1, a2 != 0, a3); return 0;
    case McClientRequest::DestroyMempool: checker.DestroyMempool(a0, where); return 0;
    case McClientRequest::MempoolAlloc: checker.MempoolAlloc(a0, a1, a2, where); return 0;
    case McClientRequest::MempoolFree: checker.MempoolFree(a0, a1, where); return 0;
    case McClientRequest::MempoolTrim: checker.MempoolTrim(a0, a1, a2, where); return 0;
    case McClientRequest::MoveMempool: checker.MoveMempool(a0, a1, where); return 0;
    case McClientRequest::MempoolChange: checker.MempoolChange(a0, a1, a2, a3, where); return 0;
    case McClientRequest::MempoolExists: return checker.MempoolExists(a0) ? 1 : 0;
    case McClientRequest::RunningOnValgrind: return 1;
    case McClientRequest::CountErrors: return static_cast<uint32_t>(checker.ErrorCount());
    case McClientRequest::DoLeakCheck: {
      // The search's roots include the callee-saved registers as the JIT's call left them:
      // __builtin_unwind_init makes this function's prologue push them all, right below its
      // frame record (rbx, r12-r15: 5 words), so they are read there.
      __builtin_unwind_init();
      const auto* saved = reinterpret_cast<const uintptr_t*>(WG_FRAME_ADDRESS()) - 5;
      McSearchLeaks(inst, a0, a1, {saved, 5}, WG_FRAME_ADDRESS() + 16, fp);
      return 0;
    }
    case McClientRequest::CreateBlock: {
      // The description is copied now (Valgrind keeps the pointer), up to its NUL.
      const LinearMemory& memory = *inst.memories[0];
      std::string description;
      for (uint64_t a = a2; a < memory.size_bytes() && memory.data()[a] != 0; ++a) {
        if (description.size() == kMaxBlockDescription) break;
        description += static_cast<char>(memory.data()[a]);
      }
      return checker.CreateBlock(a0, a1, std::move(description), where);
    }
    case McClientRequest::Discard: return checker.DiscardBlock(a0) ? 0 : 1;
    case McClientRequest::GetVBits: {
      LinearMemory& memory = *inst.memories[0];
      return checker.GetVBits({memory.data(), memory.size_bytes()}, a0, a1, a2);
    }
    case McClientRequest::SetVBits: {
      const LinearMemory& memory = *inst.memories[0];
      return checker.SetVBits({memory.data(), memory.size_bytes()}, a0, a1, a2);
    }
    case McClientRequest::CountLeaks: McCountLeaks(inst, false, {a0, a1, a2, a3}); return 0;
    case McClientRequest::CountLeakBlocks: McCountLeaks(inst, true, {a0, a1, a2, a3}); return 0;
  }
  return 0;
}
