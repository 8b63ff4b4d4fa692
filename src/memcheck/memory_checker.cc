// MemoryChecker: wiring of the checker's parts to the VM's events (see memory_checker.h).
#include "memcheck/memory_checker.h"

#include <fcntl.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <map>
#include <optional>
#include <string>

#include "memcheck/default_suppressions.h"

namespace wasmgrind::memcheck {

namespace {

// Where a report goes: the descriptor `fd` the caller opened (Valgrind's --log-fd / --xml-fd,
// `9>report.txt`; `fd_option` names it in the error), else `file`, else `report_fd` (stderr).
Expected<std::unique_ptr<ReportSink>> OpenReportSink(const char* fd_option, const std::string& file,
                                                     std::optional<int> fd, int report_fd,
                                                     int pid) {
  if (fd) {
    if (fcntl(*fd, F_GETFD) < 0) {
      return Fail(fd_option + std::to_string(*fd) + ": not an open file descriptor");
    }
    return std::unique_ptr<ReportSink>(std::make_unique<FdSink>(*fd));
  }
  if (!file.empty()) {
    auto sink = FdSink::Open(file, pid);
    if (!sink) return Fail(sink.error());
    return std::unique_ptr<ReportSink>(std::move(sink).value());
  }
  return std::unique_ptr<ReportSink>(std::make_unique<FdSink>(report_fd));
}

}  // namespace

HeapOptions HeapOptionsOf(const MemcheckOptions& options) {
  HeapOptions o;
  o.redzone_size = options.redzone_size;
  o.freelist_volume = options.freelist_vol;
  o.freelist_big_blocks = options.freelist_big_blocks;
  o.keep_alloc_sites = KeepsAllocStacks(options.keep_stacktraces);
  o.keep_free_sites = KeepsFreeStacks(options.keep_stacktraces);
  o.free_replaces_alloc = options.keep_stacktraces == KeepStacktraces::AllocThenFree;
  return o;
}

Expected<std::unique_ptr<MemoryChecker>> MemoryChecker::Create(const MemcheckOptions& options,
                                                               const MemoryLayout& layout,
                                                               const Symbolizer& symbolizer,
                                                               const RunInfo& run, int report_fd) {
  auto valid = ValidateMemcheckOptions(options);
  if (!valid) return Fail(valid.error());
  std::vector<Suppression> suppressions;
  if (options.default_suppressions) suppressions = DefaultSuppressions();
  for (const std::string& file : options.suppressions) {
    auto loaded = LoadSuppressionFile(file);
    if (!loaded) return Fail(loaded.error());
    for (Suppression& s : loaded.value()) suppressions.push_back(std::move(s));
  }
  auto shadow = ShadowMemory::Create(layout.memory_size, ShadowState::Defined);
  if (!shadow) return Fail(shadow.error());
  std::unique_ptr<MemoryChecker> c(new MemoryChecker(options, std::move(shadow).value()));
  c->backtraces_.set_max_frames(options.num_callers);
  if (options.track_origins && c->undef_value_errors()) {
    auto origins = OriginStore::Create();
    if (!origins) return Fail(origins.error());
    c->origins_.emplace(std::move(origins).value());
  }

  if (layout.heap_base) {
    c->heap_.emplace(c->shadow_, HeapOptionsOf(options));
    uint64_t base = std::min<uint64_t>(*layout.heap_base, layout.memory_size);
    if (layout.heap_allocates) {
      c->shadow_.SetRange(base, layout.memory_size - base, ShadowState::HeapUnallocated);
    }
  }
  c->globals_ = layout.globals;
  StackShadowState& state = c->sp_state();
  state.fresh_pattern = uint64_t{ToByte(c->Fresh())} * 0x0101010101010101;
  // Without a stack region no code moves a stack pointer; should any, the JIT's inline path
  // (which takes a move only from the pointer's state by at most a few KiB) never applies.
  state.stack_pointer = state.leaf_frames_begin = UINT32_MAX;
  if (layout.stack) {
    c->stack_ = layout.stack;
    c->shadow_.SetStackRange(layout.stack->begin, layout.stack->end);
    state.stack_pointer =
        std::clamp(layout.initial_stack_pointer, layout.stack->begin, layout.stack->end);
    state.leaf_frames_begin = state.stack_pointer;
    // Stack memory becomes BelowStackPointer only once a frame there is popped, not up front:
    // the module does not say where the stack really ends (wasm-ld's bss follows the data
    // segments with no segment of its own, so the region FindCStack sees may cover the bss).
  }

  auto sink =
      options.xml
          ? OpenReportSink("--xml-fd=", options.xml_file, options.xml_fd, report_fd, run.pid)
          : OpenReportSink("--log-fd=", options.log_file, options.log_fd, report_fd, run.pid);
  if (!sink) return Fail(sink.error());
  c->sink_ = std::move(sink).value();
  c->writer_ = options.xml ? MakeXmlWriter(*c->sink_, options.xml_user_comment)
                           : MakeTextWriter(*c->sink_, run.pid,
                                            TextLayout{.quiet = options.quiet,
                                                       .show_error_list = options.show_error_list,
                                                       .fullpath_after = options.fullpath_after,
                                                       .error_markers = options.error_markers,
                                                       .time_stamp = options.time_stamp});
  if (options.xml && (options.trace_malloc || options.track_fds != TrackFds::No)) {
    // Valgrind writes some text beside the XML, where the text report would go (stderr,
    // --log-file, --log-fd): --trace-malloc's lines, and (3.19) the --track-fds list, which
    // starts with no blank line there (the text's exit message is not written).
    auto text = OpenReportSink("--log-fd=", options.log_file, options.log_fd, report_fd, run.pid);
    if (!text) return Fail(text.error());
    c->text_sink_ = std::move(text).value();
    TextLayout layout;
    layout.quiet = true;
    layout.fullpath_after = options.fullpath_after;
    layout.time_stamp = options.time_stamp;
    c->text_writer_ = MakeTextWriter(*c->text_sink_, run.pid, std::move(layout));
  }
  c->errors_ = std::make_unique<ErrorManager>(c->options_, c->backtraces_, symbolizer, *c->writer_,
                                              std::move(suppressions));
  c->errors_->Begin(run);
  return c;
}

AddressContext MemoryChecker::Context() const {
  AddressContext context{shadow_.size(), std::nullopt, stack_, &shadow_, globals_, described_};
  if (stack_) context.stack_pointer = sp_state().stack_pointer;
  return context;
}

Expected<void> MemoryChecker::OnMemoryGrow(uint64_t new_size, bool by_allocator,
                                           const CaptureBacktrace& where) {
  bool heap_memory = by_allocator && heap_.has_value();
  uint64_t old_size = shadow_.size();
  auto grown = shadow_.Grow(new_size, heap_memory ? ShadowState::HeapUnallocated : Fresh());
  if (grown && !heap_memory && origins_ && new_size > old_size) {
    PaintOrigin(old_size, new_size - old_size, OriginKind::Unknown, Intern(where));
  }
  return grown;
}

void MemoryChecker::OnLeafFrame(uint32_t begin, const CaptureBacktrace& where) {
  if (!stack_) return;
  StackShadowState& state = sp_state();
  uint32_t clamped = std::clamp(begin, stack_->begin, state.stack_pointer);
  // [leaf_frames_begin, stack pointer) is addressable already, maybe with a leaf's values in
  // it: only the bytes below it are new.
  if (clamped < state.leaf_frames_begin) {
    shadow_.SetRange(clamped, state.leaf_frames_begin - clamped, Fresh());
    if (origins_) {
      PaintOrigin(clamped, state.leaf_frames_begin - clamped, OriginKind::Stack,
                  StackOriginSite(where));
    }
    state.leaf_frames_begin = clamped;
  }
}

void MemoryChecker::OnStackPointerMove(uint32_t sp, const CaptureBacktrace& where) {
  if (!stack_) return;
  StackShadowState& state = sp_state();
  // Only the part inside the stack region changes; leaving the region is the stack check's
  // to report (an overflow), not ours.
  uint32_t clamped = std::clamp(sp, stack_->begin, stack_->end);
  if (clamped < state.stack_pointer) {
    // Leaf frames below the new pointer belong to calls that have returned: dead, so that a
    // leaf called from the new frame finds its own frame's bytes undefined, not their values.
    if (state.leaf_frames_begin < clamped) {
      shadow_.SetRange(state.leaf_frames_begin, clamped - state.leaf_frames_begin,
                       ShadowState::BelowStackPointer);
    }
    // A new frame's bytes are uninitialised.
    shadow_.SetRange(clamped, state.stack_pointer - clamped, Fresh());
    if (origins_) {
      PaintOrigin(clamped, state.stack_pointer - clamped, OriginKind::Stack,
                  StackOriginSite(where));
    }
    state.leaf_frames_begin = clamped;
  } else if (clamped > state.stack_pointer) {
    uint32_t dead = std::min(state.leaf_frames_begin, state.stack_pointer);
    shadow_.SetRange(dead, clamped - dead, ShadowState::BelowStackPointer);
    state.leaf_frames_begin = clamped;
  }
  state.stack_pointer = clamped;
}

void MemoryChecker::WarnNoAllocator() {
  errors_->Notice(
      {"Warning: no allocation function (malloc, free, operator new, ...) was found by name in",
       "   the module's name section, DWARF or exports: heap blocks are not tracked, so heap",
       "   overflows, uses after free and leaks go unreported. Keep the names: link without",
       "   --strip-all, or build with -g."});
}

void MemoryChecker::OnStackOverflow(uint32_t sp, const CaptureBacktrace& where) {
  if (!stack_) return;
  BacktraceId site = Intern(where);
  errors_->Report(StackOverflowError(sp, *stack_, site));
  errors_->FatalSignal(StackOverflowSignal(sp, *stack_), site);
}

bool MemoryChecker::CheckAccess(AccessKind access, uint64_t address, uint32_t size,
                                const CaptureBacktrace& where) {
  auto bad = shadow_.FirstUnaddressable(address, size);
  if (!bad) return false;
  if (access == AccessKind::Read && PartialLoadPasses(address, size)) return false;
  errors_->Report(InvalidAccessError(access, address, size, *bad, Intern(where),
                                     DescriberOf(address), Context()));
  return true;
}

bool MemoryChecker::PartialLoadPasses(uint64_t address, uint32_t size) const {
  if (!options_.partial_loads_ok || (size != 4 && size != 16) || address % size != 0) {
    return false;
  }
  // Aligned, so inside memory whole or not at all (its size is a multiple of 64 KiB).
  if (address + size > shadow_.size()) return false;
  // Some byte unaddressable (LoadVBits asks of every slow-path load, nearly all of which are
  // addressable and only undefined) and some addressable (else an invalid read as any other).
  const uint8_t* states = shadow_.base() + address;
  if (ShadowAllAddressable(states, size)) return false;
  return std::any_of(states, states + size, [](uint8_t s) { return s < kFirstUnaddressable; });
}

uint64_t MemoryChecker::UnaddressableBytes(uint64_t address, uint32_t size) const {
  uint64_t bytes = 0;
  for (uint32_t i = 0; i < std::min<uint32_t>(size, 8); ++i) {
    if (!IsAddressable(shadow_.Get(address + i))) bytes |= uint64_t{0xff} << (8 * i);
  }
  return bytes;
}

bool MemoryChecker::CheckRange(AccessKind access, uint64_t address, uint64_t length,
                               const CaptureBacktrace& where) {
  auto bad = shadow_.FirstUnaddressable(address, length);
  if (!bad) return false;
  // Valgrind's replacements fault on the first bad byte they touch: say so, one byte wide.
  errors_->Report(InvalidAccessError(access, bad->address, 1, *bad, Intern(where),
                                     DescriberOf(bad->address), Context()));
  return true;
}

bool MemoryChecker::CheckSyscallParam(AccessKind access, uint64_t address, uint64_t length,
                                      std::string_view param, const CaptureBacktrace& where) {
  // The host reads the bytes it sends: the first one neither addressable nor defined decides
  // which error it is, as in Valgrind's check of a system call's input buffer.
  bool reads = access == AccessKind::Read && undef_value_errors();
  auto bad = reads ? shadow_.FirstNotDefined(address, length)
                   : shadow_.FirstUnaddressable(address, length);
  if (!bad) return false;
  if (IsAddressable(bad->state)) {
    MemcheckError e;
    e.kind = ErrorKind::SyscallParam;
    e.param = std::string(param);
    e.what = "Syscall param " + e.param + " points to uninitialised byte(s)";
    e.stack = Intern(where);
    e.aux = DescribeAddress(bad->address, DescriberOf(bad->address), Context());
    AddOrigin(e, OriginOf(bad->address, 1));
    errors_->Report(e);
    return true;
  }
  // The address lines are an invalid access's; the kind and the first line are Valgrind's for
  // a system call, which says the same for a buffer the kernel reads and one it writes.
  MemcheckError e =
      InvalidAccessError(access, bad->address, 1, *bad, Intern(where), heap(), Context());
  e.kind = ErrorKind::SyscallParam;
  e.access_size = 0;
  e.param = std::string(param);
  e.what = "Syscall param " + e.param + " points to unaddressable byte(s)";
  errors_->Report(e);
  return true;
}

void MemoryChecker::ReportOverlap(std::string_view function, uint64_t dst, uint64_t src,
                                  std::optional<uint64_t> length, const CaptureBacktrace& where) {
  char args[64];
  if (length) {
    snprintf(args, sizeof args, "(0x%" PRIx64 ", 0x%" PRIx64 ", %" PRIu64 ")", dst, src, *length);
  } else {
    snprintf(args, sizeof args, "(0x%" PRIx64 ", 0x%" PRIx64 ")", dst, src);
  }
  MemcheckError e;
  e.kind = ErrorKind::Overlap;
  e.what = "Source and destination overlap in " + std::string(function) + args;
  e.stack = Intern(where);
  errors_->Report(e);
}

uint32_t MemoryChecker::OnAllocated(uint32_t raw, const AllocationPlan& plan, uint32_t size,
                                    AllocFamily family, bool zeroed,
                                    const CaptureBacktrace& where) {
  // The site is interned last (see HeapTracker::OnAllocated).
  BacktraceId site = kNoBacktrace;
  uint32_t user = heap_->OnAllocated(raw, plan, size, family, NewBlockState(zeroed),
                                     [&] { return site = Intern(where); });
  if (origins_ && !zeroed) {
    if (KeepsAllocStacks(options_.keep_stacktraces)) {
      PaintOrigin(user, size, OriginKind::Heap, site);
    } else {
      // Valgrind's origin then names the allocation with its stack not kept ("at 0x0: ???").
      origins_->Paint(user, size, origins_->Intern(Origin{OriginKind::Heap, kNoBacktrace}));
    }
  }
  return user;
}

FreeOutcome MemoryChecker::OnFree(uint32_t pointer, Deallocator deallocator,
                                  const CaptureBacktrace& where) {
  // Each path returns its outcome as it was made (no copy of it on the way back: every free
  // returns one, and a copy read back what was just stored piecewise, a store-forwarding
  // stall).
  if (pointer == 0) return FreeOutcome{FreeVerdict::NullPointer, std::nullopt, {}};
  // A MALLOCLIKE block that the heap does not know. The client blocks are asked first: with
  // none live (nearly always) that is one compare, where the heap's verdict is a lookup of
  // the block that OnFree would make again.
  if (client_.IsMallocLike(pointer) &&
      heap_->CheckFree(pointer, deallocator) == FreeVerdict::InvalidFree) {
    return FreeMallocLike(pointer, deallocator, Intern(where));
  }
  return FreeHeapBlock(pointer, deallocator, where);
}

FreeOutcome MemoryChecker::FreeHeapBlock(uint32_t pointer, Deallocator deallocator,
                                         const CaptureBacktrace& where) {
  // The site is interned last (see HeapTracker::OnFree), and only if the block keeps it or
  // the free is reported.
  std::optional<BacktraceId> site;
  FreeOutcome out = heap_->OnFree(pointer, deallocator, [&] { return *(site = Intern(where)); });
  // A good free (nearly every one) builds no error record: BadFreeError would make one first.
  if (out.verdict != FreeVerdict::Freed &&
      (out.verdict != FreeVerdict::Mismatched || options_.show_mismatched_frees)) {
    if (!site) site = Intern(where);
    if (auto e = BadFreeError(out, pointer, Context(), *site)) errors_->Report(*e);
  }
  return out;
}

FreeOutcome MemoryChecker::FreeMallocLike(uint32_t pointer, Deallocator deallocator,
                                          BacktraceId site) {
  // free() or delete of it is a mismatch, and frees it anyway, as Valgrind does. Nothing goes
  // back to the real allocator.
  FreeOutcome out = client_.FreeLike(pointer, site);
  if (deallocator != Deallocator::Custom) out.verdict = FreeVerdict::Mismatched;
  ReportBadFree(out, pointer, site);
  return FreeOutcome{out.verdict, out.block, {}};
}

bool MemoryChecker::CheckRealloc(uint32_t pointer, const CaptureBacktrace& where) {
  FreeVerdict verdict = heap_->CheckFree(pointer, Deallocator::Free);
  if (verdict == FreeVerdict::NullPointer || verdict == FreeVerdict::Freed ||
      verdict == FreeVerdict::Mismatched) {
    return true;  // a mismatch (realloc of a new'd block) is reported by the OnFree that follows
  }
  FreeOutcome outcome{verdict, std::nullopt, {}};
  if (auto d = heap_->Describe(pointer)) outcome.block = d->block;
  if (auto e = BadFreeError(outcome, pointer, Context(), Intern(where))) errors_->Report(*e);
  return false;
}

void MemoryChecker::MergeLeakSites(std::vector<HeapBlock>& blocks) {
  if (options_.leak_resolution == LeakResolution::High) return;
  const size_t frames = options_.leak_resolution == LeakResolution::Low ? 2 : 4;
  std::map<BacktraceId, BacktraceId> first_of;  // the truncated stack -> the first full one
  for (HeapBlock& b : blocks) {
    // A copy: Get's frames are valid only until the next Intern.
    const std::span<const Frame> stack = backtraces_.Get(b.alloc_site);
    const std::span<const Frame> first = stack.first(std::min(frames, stack.size()));
    const Backtrace head(first.begin(), first.end());
    b.alloc_site = first_of.try_emplace(backtraces_.Intern(head), b.alloc_site).first->second;
  }
}

void MemoryChecker::SearchLeaks(std::span<const uint8_t> memory, const LeakRoots& roots,
                                LeakSearch search) {
  if (!heap_) return;
  std::vector<HeapBlock> live = LeakCheckBlocks();
  MergeLeakSites(live);
  errors_->ReportLeaks(FindLeaks(memory, roots, live, options_.leak_check_heuristics), search);
}

int MemoryChecker::Finish(int program_status, std::span<const uint8_t> memory,
                          const LeakRoots& roots) {
  std::optional<LeakResult> leaks;
  if (heap_ && options_.leak_check != LeakCheck::No) {
    std::vector<HeapBlock> live = LeakCheckBlocks();
    MergeLeakSites(live);
    leaks = FindLeaks(memory, roots, live, options_.leak_check_heuristics);
  }
  HeapStats stats;
  if (heap_) {
    // Valgrind counts client blocks in the HEAP SUMMARY too.
    stats = heap_->stats();
    HeapStats client = client_.Stats();
    stats.allocs += client.allocs;
    stats.frees += client.frees;
    stats.bytes_allocated += client.bytes_allocated;
    stats.live_blocks += client.live_blocks;
    stats.live_bytes += client.live_bytes;
  }
  ExitFds fds;
  fds.open = open_fds_at_exit_;
  fds.text = text_writer_.get();
  errors_->Finish(heap_ ? &stats : nullptr, leaks ? &*leaks : nullptr, fds);
  return errors_->ExitStatus(program_status);
}

}  // namespace wasmgrind::memcheck
