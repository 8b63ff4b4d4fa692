// MemoryChecker: the checker of one instance's memory 0, and the whole surface the VM calls.
// It owns the shadow, the heap tracker, the interned backtraces and the error manager, and
// turns the VM's events into shadow updates and reports:
//
//   JIT code      inline `cmp [shadow_base() + addr], 0`; on non-zero, a runtime call to
//                 CheckAccess (the slow path: decides, reports, or lets a false alarm pass).
//   memory.grow   OnMemoryGrow; who grew it decides the new bytes' state.
//   __stack_pointer moves   OnStackPointerMove (frames become addressable and stop being so).
//   allocator hooks         PlanAllocation / OnAllocated on malloc's entry and return;
//                           OnFree on free's entry (the real free runs only on what it returns).
//   host readers/writers    CheckRange: WASI calls, libc replacements, bulk memory, data
//                           segments.
//   undefined values        LoadVBits / StoreVBits (the JIT's slow path), ReportUninit where
//                           one decides something, OriginOf / StoreOrigin (--track-origins).
//   exit          Finish: leak check, summaries, the exit status.
//
// Backtraces are captured lazily through a callback: most slow-path calls are no error at
// all (part 2's undefined-but-addressable bytes) and must not pay for a stack walk.
//
// Not thread-safe: it is driven by the thread running the instance, never from a signal
// handler (a fault in the shadow's guard pages is turned into a trap first, and CheckAccess
// runs after the handler has left, as the runtime's trap reporting does).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "memcheck/backtrace.h"
#include "memcheck/client_blocks.h"
#include "memcheck/error_builders.h"
#include "memcheck/error_manager.h"
#include "memcheck/expected.h"
#include "memcheck/heap_tracker.h"
#include "memcheck/leak_checker.h"
#include "memcheck/memcheck_options.h"
#include "memcheck/origin_store.h"
#include "memcheck/prefetch.h"
#include "memcheck/report_sink.h"
#include "memcheck/report_writer.h"
#include "memcheck/shadow_memory.h"

namespace wasmgrind::memcheck {

// What the VM found in the module (from __stack_pointer, __heap_base, data segments).
struct MemoryLayout {
  uint64_t memory_size = 0;           // memory 0's initial length in bytes
  std::optional<uint32_t> heap_base;  // set when an allocator was found and is hooked
  // false: the hooked functions cannot allocate (only free is linked): frees are checked, and
  // the memory above heap_base stays the program's, not unallocated heap.
  bool heap_allocates = true;
  std::optional<AddressRange> stack;   // the C stack region [begin, end)
  uint32_t initial_stack_pointer = 0;  // the global's initial value (normally stack.end)
  std::vector<GlobalSymbol> globals;   // the program's global variables, sorted by address
};

// The heap's options as `options` set them (--redzone-size, --freelist-vol, --keep-stacktraces).
HeapOptions HeapOptionsOf(const MemcheckOptions& options);

class MemoryChecker {
 public:
  // Loads the suppression files and opens the log/XML file. `symbolizer` must outlive the
  // checker. `report_fd`: where text goes without --log-file (stderr).
  static Expected<std::unique_ptr<MemoryChecker>> Create(const MemcheckOptions& options,
                                                         const MemoryLayout& layout,
                                                         const Symbolizer& symbolizer,
                                                         const RunInfo& run, int report_fd = 2);

  // Its parts refer to each other (the heap tracker paints the shadow): it stays put.
  MemoryChecker(const MemoryChecker&) = delete;
  MemoryChecker& operator=(const MemoryChecker&) = delete;

  uint8_t* shadow_base() const { return shadow_.base(); }
  // How many frames a backtrace keeps (--num-callers): capturing more is wasted work.
  uint32_t num_callers() const { return options_.num_callers; }
  // For callers that always need the backtrace (the allocator hooks): intern it up front and
  // pass the id as the CaptureBacktrace.
  BacktraceId InternBacktrace(std::span<const Frame> frames) { return backtraces_.Intern(frames); }
  const MemcheckOptions& options() const { return options_; }
  // How the process ends under --exit-on-first-error (ErrorManager::set_exit).
  void set_exit(std::function<void(int)> exit) { errors_->set_exit(std::move(exit)); }
  const ShadowMemory& shadow() const { return shadow_; }
  const HeapTracker* heap() const { return heap_ ? &*heap_ : nullptr; }
  const ErrorManager& errors() const { return *errors_; }

  // --undef-value-errors: definedness is tracked and reported. Also false while the temporary
  // MemcheckOptions::track_definedness is off (code that does not track V bits; see there):
  // then every byte is painted Defined.
  bool undef_value_errors() const {
    return options_.undef_value_errors && options_.track_definedness;
  }
  // --track-origins=yes (only with undef_value_errors()).
  bool track_origins() const { return origins_.has_value(); }

  // Undefined values (part 2). V bits: bit set = undefined, of the little-endian value of
  // `size` bytes at `address` (1, 2, 4, 8; 16 gives its low 8 bytes). Unaddressable bytes read
  // as defined: Valgrind makes the result of an invalid read defined after reporting it.
  // A load that PartialLoadPasses reads its unaddressable bytes as undefined instead, as
  // Valgrind's does, so that using them is still reported.
  uint64_t LoadVBits(uint64_t address, uint32_t size) const {
    if (!undef_value_errors()) return 0;
    const uint64_t vbits = shadow_.LoadVBits(address, size);
    return PartialLoadPasses(address, size) ? vbits | UnaddressableBytes(address, size) : vbits;
  }
  // A store of a value with V bits `vbits`: each addressable byte becomes Defined, Undefined
  // or PartlyDefined (its bits in the side table); unaddressable bytes keep their state. Size
  // 16 applies `vbits` to both halves. An undefined value's bytes forget their old origin
  // (a dead frame's, say): StoreOrigin after this gives them the value's, if it has one.
  void StoreVBits(uint64_t address, uint32_t size, uint64_t vbits) {
    if (!undef_value_errors()) return;
    shadow_.StoreVBits(address, size, vbits);
    if (origins_ && vbits != 0) origins_->Paint(address, size, 0);
  }
  enum class UninitUse : uint8_t { Condition, Value };
  // An undefined value decided something at `where`: Valgrind's "Conditional jump or move
  // depends on uninitialised value(s)" (Condition; XML UninitCondition, Memcheck:Cond) or "Use
  // of uninitialised value of size N" (Value, an address or index; UninitValue,
  // Memcheck:Value<N>). `origin`: 0, or an id from OriginOf for "Uninitialised value was
  // created by ...".
  void ReportUninit(UninitUse use, uint32_t size, uint32_t origin, const CaptureBacktrace& where);
  // The host examines [address, address + length) byte by byte and branches on each (strlen,
  // strcmp, ...): its first addressable byte that is not wholly defined is reported as a
  // Condition at `where`, as Valgrind's replacement functions report. True if one was.
  bool CheckBranchesOn(uint64_t address, uint64_t length, const CaptureBacktrace& where);
  // --track-origins: the origin of the undefined bytes of [address, address + size) (the
  // first one's that has one), 0 if none or without the option.
  uint32_t OriginOf(uint64_t address, uint32_t size) const;
  // A store of an undefined value whose origin is `origin` (from OriginOf): tags its bytes.
  void StoreOrigin(uint64_t address, uint32_t size, uint32_t origin) {
    if (origins_ && origin != 0) origins_->Paint(address, size, origin);
  }

  // memory.grow succeeded. by_allocator: grown by the hooked allocator (its sbrk), so the new
  // bytes are unallocated heap; anything else grew it for its own use: addressable and
  // undefined, as Valgrind's brk memory (`where`: their origin under --track-origins).
  Expected<void> OnMemoryGrow(uint64_t new_size, bool by_allocator,
                              const CaptureBacktrace& where = kNoBacktrace);

  // __stack_pointer changed to `sp`. Going down, the new frame's bytes are undefined;
  // `where` (the function that moved it: only its innermost frame is kept, as Valgrind names
  // the function) is their origin under --track-origins, where it is captured; elsewhere it
  // is not asked for.
  void OnStackPointerMove(uint32_t sp, const CaptureBacktrace& where);
  void OnStackPointerMove(uint32_t sp) { OnStackPointerMove(sp, kNoBacktrace); }
  // A leaf function uses stack memory below the stack pointer from `begin` without moving the
  // pointer (clang's wasm code does not write __stack_pointer back in functions that call
  // nothing): [begin, stack pointer) is its frame, addressable again until the stack pointer
  // next moves up past it (the leaf's caller returned), when it is dead like any other frame.
  // Its bytes are undefined (`where`: the leaf, their origin, as for OnStackPointerMove).
  void OnLeafFrame(uint32_t begin, const CaptureBacktrace& where);
  void OnLeafFrame(uint32_t begin) { OnLeafFrame(begin, kNoBacktrace); }

  // --trace-malloc: one allocation call, as Valgrind's replacements print it ("malloc(10) =
  // 0x10610"); in the text report, or on stderr beside the XML.
  void TraceMalloc(const std::string& line) {
    (text_writer_ ? *text_writer_ : *writer_).Trace(line);
  }

  // The module has no allocation function the runtime could find by name: heap blocks are not
  // tracked. Says so once, in the text report (Valgrind's XML has no element for it).
  void WarnNoAllocator();

  // The C stack pointer was set to `sp`, outside the stack (the C stack check trapped, before
  // the frame was written): reported as a StackOverflow error, then as the fatal signal a
  // native program dies of. The program then stops, as the trap does.
  void OnStackOverflow(uint32_t sp, const CaptureBacktrace& where);
  // The program trapped otherwise, and a native build would die of `signal` there
  // (MemcheckSession maps the traps): Valgrind's fatal signal record, at `where`.
  void OnFatalSignal(const PrintedFatalSignal& signal, const CaptureBacktrace& where) {
    errors_->FatalSignal(signal, Intern(where));
  }

  // An access of `size` (1..16) bytes at `address` whose shadow was not all 0. Returns true if
  // it was an error (then it was reported); false: a false alarm on the fast path, or a load
  // that PartialLoadPasses.
  bool CheckAccess(AccessKind access, uint64_t address, uint32_t size,
                   const CaptureBacktrace& where);
  // The host touches [address, address + length): reported as one access of `length` bytes
  // at its first bad byte's address, as Valgrind's replacements report.
  bool CheckRange(AccessKind access, uint64_t address, uint64_t length,
                  const CaptureBacktrace& where);

  // A system call's parameter (here: a WASI function's, `param` as "fd_write(buf)") points
  // to [address, address + length), which the host reads or writes: Valgrind's "Syscall param
  // write(buf) points to unaddressable byte(s)", kind SyscallParam, for the first bad byte;
  // for a read whose first bad byte is addressable but undefined, "... points to
  // uninitialised byte(s)" with the byte's address described (and its origin).
  bool CheckSyscallParam(AccessKind access, uint64_t address, uint64_t length,
                         std::string_view param, const CaptureBacktrace& where);
  // `function` (memcpy, strcpy, ...) was given overlapping source and destination: Valgrind's
  // "Source and destination overlap in memcpy(dst, src, length)" (kind Overlap; the string
  // functions, which have no length argument, without one).
  void ReportOverlap(std::string_view function, uint64_t dst, uint64_t src,
                     std::optional<uint64_t> length, const CaptureBacktrace& where);

  // The bytes [src, src + length) were copied to dst (memory.copy, memcpy, realloc's move):
  // their definedness follows, partly defined bytes' bits and origins too. Call after
  // CheckRange has checked both ranges: the copy goes ahead as under Valgrind, so a bad one
  // still carries the state, but not addressability (see ShadowMemory::CopyRange).
  // `checked_clean`: CheckRange found both ranges fine just now (no need to scan them again).
  bool CopyState(uint64_t dst, uint64_t src, uint64_t length, bool checked_clean = false) {
    // Without definedness every addressable byte is Defined, and a copy never changes
    // addressability: nothing to copy (memcpy-heavy programs would pay a pass per copy).
    if (!undef_value_errors()) return true;
    bool unchanged = false;
    if (!shadow_.CopyRange(dst, src, length, checked_clean, &unchanged)) return false;
    // A defined byte's origin is never read: defined bytes copied over defined ones need none.
    if (origins_ && !unchanged) origins_->Copy(dst, src, length);
    return true;
  }
  // The host (a WASI call, memset, memory.fill/init, a data segment) wrote [address,
  // address + length): its addressable bytes become Defined.
  void OnHostWrote(uint64_t address, uint64_t length) {
    if (undef_value_errors()) shadow_.SetAddressable(address, length, ShadowState::Defined);
  }

  // Allocator hooks (see heap_tracker.h). Without a heap (no allocator found) these are not
  // called. OnFree reports bad frees and returns the raw addresses to really free.
  std::optional<AllocationPlan> PlanAllocation(uint64_t size, uint32_t alignment) const {
    if (!heap_) return std::nullopt;
    return heap_->PlanAllocation(size, alignment);
  }
  uint32_t OnAllocated(uint32_t raw, const AllocationPlan& plan, uint32_t size, AllocFamily family,
                       bool zeroed, const CaptureBacktrace& where);
  FreeOutcome OnFree(uint32_t pointer, Deallocator deallocator, const CaptureBacktrace& where);
  // realloc(pointer, n), before anything is allocated: true if `pointer` may be reallocated
  // (null, or a live block). Otherwise the bad free is reported and realloc returns null
  // without touching anything, as under Valgrind. A live block is then moved: allocate (the
  // hooks above), copy the bytes and their shadow (CopyState), OnFree.
  bool CheckRealloc(uint32_t pointer, const CaptureBacktrace& where);
  // The books of a block about to be allocated at raw address `raw` (GuestAllocator::Upcoming).
  void PrefetchBlock(uint32_t raw) const {
    __builtin_prefetch(shadow_.base() + raw, /*rw=*/1);
    if (heap_) heap_->PrefetchStart(raw);
    KeepPrefetch();
  }
  // The heap's blocks all come from one allocator that reuses only what OnFree released and
  // keeps nothing in their redzones (AllocatorFunctions' GuestAllocator), in linear memory at
  // `memory`: see HeapOptions::allocator_is_exclusive and HeapTracker::set_slot_hints.
  void SetHeapAllocatorExclusive(uint8_t* memory) {
    if (!heap_) return;
    heap_->set_allocator_is_exclusive();
    heap_->set_slot_hints(memory);
  }
  // A free of `pointer` is coming (its backtrace is taken first): warm its block's books.
  void PrefetchFree(uint32_t pointer) const {
    if (heap_) heap_->PrefetchFree(pointer);
  }

  // Client requests (include/wasmgrind/memcheck.h, Valgrind's macros; client_requests.cc).
  // The VALGRIND_MAKE_MEM_* family repaints a range; the checks report a ClientCheck error
  // and return the first bad address (0 when all is well, as Valgrind); MALLOCLIKE/FREELIKE
  // and the pools describe a custom allocator's blocks (ClientBlocks), which are checked as
  // heap blocks are and never released to the real allocator. Requests on an unknown pool are
  // InvalidMemPool errors.
  void MakeMemNoAccess(uint64_t address, uint64_t length);
  void MakeMemUndefined(uint64_t address, uint64_t length,
                        const CaptureBacktrace& where = kNoBacktrace);
  void MakeMemDefined(uint64_t address, uint64_t length);
  void MakeMemDefinedIfAddressable(uint64_t address, uint64_t length);
  uint64_t CheckMemIsAddressable(uint64_t address, uint64_t length, const CaptureBacktrace& where);
  // Unaddressable or undefined bytes: "Uninitialised byte(s) found during client check
  // request" for the latter (addressability only while definedness is not tracked).
  uint64_t CheckMemIsDefined(uint64_t address, uint64_t length, const CaptureBacktrace& where);
  // VALGRIND_GET_VBITS and SET_VBITS: the V bits of [address, address + length), a byte of
  // bits per byte (bit set: undefined), copied into or from the array at `vbits` of `memory`
  // (memory 0's bytes). Returns Valgrind's 3 when a byte of either range is not addressable
  // (nothing is copied), else 1; the array read by GET is then defined. While definedness is
  // not tracked (--undef-value-errors=no) every byte reads as defined and SET changes nothing.
  uint32_t GetVBits(std::span<uint8_t> memory, uint32_t address, uint32_t vbits, uint32_t length);
  uint32_t SetVBits(std::span<const uint8_t> memory, uint32_t address, uint32_t vbits,
                    uint32_t length);
  void MallocLikeBlock(uint32_t address, uint32_t size, uint32_t redzone, bool zeroed,
                       const CaptureBacktrace& where);
  void ResizeInPlaceBlock(uint32_t address, uint32_t old_size, uint32_t new_size, uint32_t redzone,
                          const CaptureBacktrace& where);
  void FreeLikeBlock(uint32_t address, const CaptureBacktrace& where);
  void CreateMempool(uint32_t pool, uint32_t redzone, bool zeroed, uint32_t flags);
  void DestroyMempool(uint32_t pool, const CaptureBacktrace& where);
  void MempoolAlloc(uint32_t pool, uint32_t address, uint32_t size, const CaptureBacktrace& where);
  void MempoolFree(uint32_t pool, uint32_t address, const CaptureBacktrace& where);
  void MempoolTrim(uint32_t pool, uint32_t address, uint32_t size, const CaptureBacktrace& where);
  void MoveMempool(uint32_t from, uint32_t to, const CaptureBacktrace& where);
  void MempoolChange(uint32_t pool, uint32_t from, uint32_t to, uint32_t size,
                     const CaptureBacktrace& where);
  bool MempoolExists(uint32_t pool) const { return client_.FindPool(pool) != nullptr; }
  // VALGRIND_CREATE_BLOCK: an error's address inside [address, address + length) is said to be
  // inside `description` ("a <description> of size N client-defined", with where it was
  // described), before any heap block would describe it. Returns its handle: the first one
  // free, from 0, as Valgrind's. VALGRIND_DISCARD forgets it: false for a handle naming none.
  uint32_t CreateBlock(uint32_t address, uint32_t length, std::string description,
                       const CaptureBacktrace& where);
  bool DiscardBlock(uint32_t handle);
  // VALGRIND_COUNT_ERRORS: errors reported so far (occurrences, not contexts).
  uint64_t ErrorCount() const { return errors_->counts().errors; }

  // A leak search mid-run (VALGRIND_DO_LEAK_CHECK and its kinds, whatever --leak-check says)
  // over `memory` from `roots`. Without an allocator there are no blocks and no search.
  void SearchLeaks(std::span<const uint8_t> memory, const LeakRoots& roots, LeakSearch search);
  // The last leak search's totals (VALGRIND_COUNT_LEAKS and COUNT_LEAK_BLOCKS).
  const LeakTotals& LastLeaks() const { return errors_->last_leaks(); }

  // --track-fds: the file descriptors open as the program ends (the most recently opened
  // first; sites are ids from InternBacktrace), which Finish lists as Valgrind does. Call
  // before Finish.
  void SetOpenFdsAtExit(std::vector<OpenFd> fds) { open_fds_at_exit_ = std::move(fds); }

  // The program ended with `program_status` (134 for a trap). Runs the leak check over
  // `memory` from `roots` and writes the summaries. Returns the status wasmgrind exits with.
  int Finish(int program_status, std::span<const uint8_t> memory, const LeakRoots& roots);

 private:
  // --partial-loads-ok=yes (Valgrind's default): a naturally aligned load of a machine word
  // with some of its bytes addressable is no error, as an aligned load cannot fault partly
  // and optimised string code reads whole words past a string's end. wasm32's word is 4
  // bytes, so the rule is Valgrind's on a 32-bit platform: aligned 4-byte loads, and 16-byte
  // vector loads; an 8-byte load is not exempt (on wasm32 it is two words).
  bool PartialLoadPasses(uint64_t address, uint32_t size) const;
  // Each unaddressable byte of the `size` (at most 8 counted) bytes at `address` as 0xff in
  // the little-endian word LoadVBits returns.
  uint64_t UnaddressableBytes(uint64_t address, uint32_t size) const;
  MemoryChecker(const MemcheckOptions& options, ShadowMemory shadow)
      : options_(options), shadow_(std::move(shadow)) {}
  AddressContext Context() const;
  // A new block's bytes are Undefined unless zeroed (calloc).
  ShadowState NewBlockState(bool zeroed) const { return zeroed ? ShadowState::Defined : Fresh(); }
  // What fresh memory (a new frame, grown pages) is: Undefined when definedness is tracked.
  ShadowState Fresh() const {
    return undef_value_errors() ? ShadowState::Undefined : ShadowState::Defined;
  }
  // Under --track-origins: tags [address, address + length) with a new origin (none without
  // a backtrace).
  void PaintOrigin(uint64_t address, uint64_t length, OriginKind kind, BacktraceId stack);
  // A stack origin keeps the innermost frame: Valgrind names only the function.
  BacktraceId StackOriginSite(const CaptureBacktrace& where);
  // " Uninitialised value was created by ..." and its stack, for `origin` (none for 0).
  void AddOrigin(MemcheckError& e, uint32_t origin) const;
  // The first addressable byte of the range that is not wholly defined.
  std::optional<BadByte> FirstUndefined(uint64_t address, uint64_t length) const;
  BacktraceId Intern(const CaptureBacktrace& where) { return where.Intern(backtraces_); }
  // The tracker whose block describes `address`: the innermost client block's, else the heap's.
  const HeapTracker* DescriberOf(uint64_t address) const {
    const HeapTracker* client = client_.Covering(address);
    return client != nullptr ? client : heap();
  }
  // OnFree of a heap block (or of what is none: reported).
  FreeOutcome FreeHeapBlock(uint32_t pointer, Deallocator deallocator,
                            const CaptureBacktrace& where);
  // OnFree of the live MALLOCLIKE block at `pointer` (which no heap block starts at).
  FreeOutcome FreeMallocLike(uint32_t pointer, Deallocator deallocator, BacktraceId site);
  // A bad free's report, its block found around `pointer` when the verdict has none.
  void ReportBadFree(FreeOutcome outcome, uint32_t pointer, BacktraceId site);
  // "Illegal memory pool address".
  void ReportBadPool(uint32_t pool, const CaptureBacktrace& where);
  // The live blocks the leak check sees: heap and client blocks, in address order, without
  // those holding client blocks (an arena's chunks are the blocks; Valgrind does the same).
  std::vector<HeapBlock> LeakCheckBlocks() const;
  // --leak-resolution low or med: each block's allocation stack becomes that of the first block
  // (in address order) whose stack agrees with it in its first 2 or 4 frames, so that they
  // share a loss record, which shows that first stack whole (as Valgrind's does).
  void MergeLeakSites(std::vector<HeapBlock>& blocks);

  MemcheckOptions options_;
  ShadowMemory shadow_;
  std::optional<OriginStore> origins_;  // --track-origins=yes only
  BacktraceStore backtraces_;
  std::optional<HeapTracker> heap_;
  ClientBlocks client_{shadow_, HeapOptionsOf(options_)};
  std::optional<AddressRange> stack_;
  // The stack pointer and the lowest address below it that a leaf frame made addressable
  // (the stack pointer when none), which is repainted BelowStackPointer when the pointer moves
  // up, or dead leaf frames would hide dead-frame accesses and keep stale pointers as leak
  // roots. In the shadow's stack state, which JIT code updates too on small moves.
  StackShadowState& sp_state() const { return shadow_.stack_state(); }
  std::vector<GlobalSymbol> globals_;
  std::vector<DescribedBlock> described_;  // by handle
  std::unique_ptr<ReportSink> sink_;
  std::unique_ptr<ReportWriter> writer_;
  // With --xml=yes: the text Valgrind writes beside the XML (--trace-malloc's lines, the
  // --track-fds list), where the text report would go (stderr, --log-file, --log-fd).
  std::unique_ptr<ReportSink> text_sink_;
  std::unique_ptr<ReportWriter> text_writer_;
  std::vector<OpenFd> open_fds_at_exit_;
  std::unique_ptr<ErrorManager> errors_;
};

}  // namespace wasmgrind::memcheck
