// Suppression, dedupe, counting and the exit summaries (see error_manager.h).
#include "memcheck/error_manager.h"

#include <algorithm>
#include <iterator>
#include <tuple>

namespace wasmgrind::memcheck {

namespace {
// Valgrind compares the innermost four frames to decide that two errors are the same.
constexpr size_t kContextFrames = 4;
// Valgrind's error limit: it bounds the contexts kept (memory) and the report's length.
constexpr uint64_t kMaxShownContexts = 1000;
constexpr uint64_t kMaxErrors = 10'000'000;
}  // namespace

std::string LossRecordText(const LossRecord& r, uint32_t number, uint32_t total,
                           const LossRecord* before) {
  // A number and, after a search that shows changes, its change since the one before.
  auto with_change = [before](uint64_t n, uint64_t was) {
    return WithCommas(n) + (before != nullptr ? LeakChange(n, was) : std::string());
  };
  const LossRecord was = before != nullptr ? *before : LossRecord{};
  std::string bytes = with_change(r.total_bytes(), was.total_bytes());
  if (r.indirect_bytes > 0) {
    bytes += " (" + with_change(r.bytes, was.bytes) + " direct, " +
             with_change(r.indirect_bytes, was.indirect_bytes) + " indirect)";
  }
  return bytes + " bytes in " + with_change(r.blocks, was.blocks) + " blocks are " +
         LeakKindPhrase(r.kind) + " in loss record " + WithCommas(number) + " of " +
         WithCommas(total);
}

ErrorManager::ErrorManager(const MemcheckOptions& options, const BacktraceStore& backtraces,
                           const Symbolizer& symbolizer, ReportWriter& writer,
                           std::vector<Suppression> suppressions)
    : options_(options),
      backtraces_(backtraces),
      symbolizer_(symbolizer),
      writer_(writer),
      suppressions_(std::move(suppressions)),
      suppression_uses_(suppressions_.size(), 0) {}

std::vector<SymbolizedFrame> ErrorManager::Symbolize(BacktraceId id) const {
  std::vector<SymbolizedFrame> frames =
      SymbolizeBacktrace(symbolizer_, backtraces_.Get(id), options_.num_callers);
  if (!options_.show_below_main) RenameBelowMain(frames);
  if (!options_.demangle) {
    // Valgrind's --demangle=no: every name as the module spells it.
    for (SymbolizedFrame& f : frames) {
      if (!f.linkage_name.empty()) f.function = f.linkage_name;
    }
  }
  return frames;
}

std::vector<SymbolizedFrame> ErrorManager::Shown(std::vector<SymbolizedFrame> frames) const {
  if (!options_.show_below_main) CutBelowMain(frames);
  return frames;
}

std::vector<SymbolizedFrame> ErrorManager::SymbolizeKept(BacktraceId id) const {
  // Valgrind's empty ExeContext: one frame at 0 that names nothing ("at 0x0: ???").
  if (id == kNoBacktrace) return {SymbolizedFrame{}};
  return Symbolize(id);
}

int ErrorManager::FindSuppression(const MemcheckError& error,
                                  const std::vector<SymbolizedFrame>& stack) const {
  for (size_t i = 0; i < suppressions_.size(); ++i) {
    if (SuppressionMatches(suppressions_[i], error, stack)) return static_cast<int>(i);
  }
  return -1;
}

ErrorFate ErrorManager::Report(const MemcheckError& error) {
  if (options_.error_limit && !options_.xml &&
      (counts_.contexts >= kMaxShownContexts || counts_.errors >= kMaxErrors)) {
    if (!over_limit_) {
      over_limit_ = true;
      bool contexts = counts_.contexts >= kMaxShownContexts;
      writer_.Notice({contexts ? "More than 1000 different errors detected.  I'm not reporting "
                                 "any more."
                               : "More than 10000000 total errors detected.  I'm not reporting "
                                 "any more.",
                      "Final error counts will be inaccurate.  Go fix your program!",
                      "Rerun with --error-limit=no to disable this cutoff.  Note",
                      "that errors may occur in your program without prior warning from",
                      "wasmgrind, because errors are no longer being displayed.", ""});
    }
    return ErrorFate::Dropped;
  }
  std::span<const Frame> frames = backtraces_.Get(error.stack);
  auto top_size = static_cast<std::ptrdiff_t>(std::min(frames.size(), kContextFrames));
  Backtrace top(frames.begin(), frames.begin() + top_size);
  ContextKey key{error.kind, error.access_size, error.what, error.param, std::move(top)};
  auto [it, is_new] = contexts_.try_emplace(std::move(key));
  Context& context = it->second;
  if (is_new) {
    std::vector<SymbolizedFrame> stack = Symbolize(error.stack);
    context.suppression = FindSuppression(error, stack);
    if (context.suppression < 0) {
      context.unique = next_unique_++;
      reported_.emplace_back(context.unique, &context.count);
      counts_.contexts++;
      Print(error, stack, context.unique);
    } else if (suppression_uses_[context.suppression] == 0) {
      counts_.suppressed_contexts++;
    }
  }
  context.count++;
  if (context.suppression >= 0) {
    suppression_uses_[context.suppression]++;
    counts_.suppressed_errors++;
    return ErrorFate::Suppressed;
  }
  counts_.errors++;
  if (is_new && options_.exit_on_first_error) {
    writer_.ExitOnFirstError();
    if (exit_) exit_(options_.error_exitcode);
  }
  return is_new ? ErrorFate::Reported : ErrorFate::Repeated;
}

void ErrorManager::FatalSignal(PrintedFatalSignal signal, BacktraceId stack) {
  signal.stack = Shown(Symbolize(stack));
  writer_.FatalSignal(signal);
}

void ErrorManager::OpenFds(const ExitFds& exit_fds) {
  if (options_.track_fds == TrackFds::No) return;
  std::span<const OpenFd> fds = exit_fds.open;
  const bool all = options_.track_fds == TrackFds::All;
  PrintedOpenFds printed;
  printed.open = fds.size();
  printed.std = std::count_if(fds.begin(), fds.end(), [](const OpenFd& fd) { return fd.fd <= 2; });
  // Valgrind's -q: nothing when no descriptor is open, or only stdio without `all`.
  const bool none_shown = printed.open == 0 || (printed.open == printed.std && !all);
  if (options_.quiet && none_shown) return;
  for (const OpenFd& fd : fds) {
    if (fd.fd <= 2 && !all) continue;
    PrintedOpenFd shown;
    shown.fd = fd.fd;
    shown.path = fd.path;
    shown.inherited = fd.inherited;
    if (!fd.inherited) shown.stack = Shown(Symbolize(fd.site));
    printed.shown.push_back(std::move(shown));
  }
  writer_.OpenFds(printed);
  if (exit_fds.text == nullptr) return;
  for (PrintedOpenFd& shown : printed.shown) shown.stack.clear();
  exit_fds.text->OpenFds(printed);
}

void ErrorManager::Print(const MemcheckError& error, const std::vector<SymbolizedFrame>& stack,
                         uint64_t unique) {
  PrintedError p;
  p.unique = unique;
  p.kind = error.kind;
  p.what = error.what;
  p.stack = Shown(stack);
  p.leak = error.leak;
  for (const AuxLine& aux : error.aux) {
    p.aux.push_back({aux.text, aux.stack == kNoBacktrace && !aux.stack_always
                                   ? std::vector<SymbolizedFrame>{}
                                   : Shown(SymbolizeKept(aux.stack))});
  }
  // As Valgrind's, from the stack as shown.
  if (options_.gen_suppressions == GenSuppressions::All) {
    p.suppression = GenerateSuppression(error, p.stack);
  }
  writer_.Error(p);
}

bool ErrorManager::KeptRecord::Shown(LeakDelta delta) const {
  switch (delta) {
    case LeakDelta::Any: return now.blocks > 0;
    case LeakDelta::Increased:
      return now.bytes > before.bytes || now.indirect_bytes > before.indirect_bytes ||
             now.blocks > before.blocks;
    case LeakDelta::Changed:
      return now.bytes != before.bytes || now.indirect_bytes != before.indirect_bytes ||
             now.blocks != before.blocks;
    case LeakDelta::New: return now.blocks > 0 && before.blocks == 0;
  }
  return false;
}

std::vector<ErrorManager::KeptRecord*> ErrorManager::KeepRecords(const LeakResult& leaks) {
  // Valgrind's loss records live from search to search: one that had blocks last time stays
  // (now empty, unless blocks join it again) with last time's numbers as `before`; one that
  // had none is dropped.
  for (auto it = loss_records_.begin(); it != loss_records_.end();) {
    if (it->second.now.blocks == 0) {
      it = loss_records_.erase(it);
      continue;
    }
    it->second.before = it->second.now;
    it->second.now = LossRecord{it->second.now.kind, it->second.now.alloc_site};
    ++it;
  }
  for (const LossRecord& r : leaks.records) loss_records_[{r.kind, r.alloc_site}].now = r;
  std::vector<KeptRecord*> order;
  for (auto& [key, record] : loss_records_) order.push_back(&record);
  // Valgrind's order: total bytes, kind, blocks; then the older allocation stack first.
  std::stable_sort(order.begin(), order.end(), [](const KeptRecord* a, const KeptRecord* b) {
    return std::tuple(a->now.total_bytes(), a->now.kind, a->now.blocks) <
           std::tuple(b->now.total_bytes(), b->now.kind, b->now.blocks);
  });
  return order;
}

void ErrorManager::ReportLeaks(const LeakResult& leaks, LeakSearch search) {
  LeakOverview overview;
  overview.mode = search.mode;
  overview.shown = options_.show_leak_kinds;
  if (leaks.records.empty()) {
    // No live block: Valgrind forgets its loss records and keeps the last totals (which
    // COUNT_LEAKS goes on returning).
    loss_records_.clear();
    writer_.LeakSummary(overview);
    return;
  }
  std::copy(std::begin(leaks.reachable_via), std::end(leaks.reachable_via),
            std::begin(overview.now.reachable_via));
  overview.before = last_leaks_;
  overview.show_changes = search.delta != LeakDelta::Any;
  const std::vector<KeptRecord*> order = KeepRecords(leaks);
  auto total = static_cast<uint32_t>(order.size());
  for (uint32_t i = 0; i < total; ++i) {
    const KeptRecord& k = *order[i];
    const LossRecord& r = k.now;
    MemcheckError e;
    e.kind = LeakErrorKind(r.kind);
    e.what = LossRecordText(r, i + 1, total, search.delta != LeakDelta::Any ? &k.before : nullptr);
    e.stack = r.alloc_site;
    e.leak = LeakAmounts{r.bytes, r.indirect_bytes, r.blocks, i + 1, total};
    std::vector<SymbolizedFrame> stack = SymbolizeKept(r.alloc_site);
    int s = FindSuppression(e, stack);
    if (s >= 0) {
      if (r.blocks == 0) continue;  // a record kept from the last search, empty now
      if (suppression_uses_[s]++ == 0) counts_.suppressed_contexts++;
      counts_.suppressed_errors++;
      overview.now.suppressed.bytes += r.bytes;
      overview.now.suppressed.blocks += r.blocks;
      continue;
    }
    LeakTotal& t = overview.now.by_kind[static_cast<int>(r.kind)];
    t.bytes += r.bytes;
    t.blocks += r.blocks;
    // Valgrind's get_printing_rules: a summary search reports no record and counts no error.
    if (search.mode != LeakCheck::Full || !k.Shown(search.delta)) continue;
    bool shown = options_.show_leak_kinds.Has(r.kind);
    bool is_error = options_.errors_for_leak_kinds.Has(r.kind);
    uint64_t unique = next_unique_++;
    if (shown) Print(e, stack, unique);
    if (is_error) {
      counts_.errors++;
      counts_.contexts++;
    }
  }
  last_leaks_ = overview.now;
  writer_.LeakSummary(overview);
}

void ErrorManager::Finish(const HeapStats* heap, const LeakResult* leaks, const ExitFds& fds) {
  writer_.ProgramFinished();
  OpenFds(fds);
  if (heap != nullptr) writer_.HeapSummary(*heap);
  if (leaks != nullptr && options_.leak_check != LeakCheck::No) {
    ReportLeaks(*leaks, LeakSearch{options_.leak_check, LeakDelta::Any});
  }
  std::vector<std::pair<uint64_t, uint64_t>> per_context;
  for (const auto& [unique, count] : reported_) per_context.emplace_back(unique, *count);
  std::vector<SuppressionUse> per_suppression;
  for (size_t i = 0; i < suppressions_.size(); ++i) {
    if (suppression_uses_[i] > 0) {
      per_suppression.push_back(
          {suppressions_[i].name, suppressions_[i].origin, suppression_uses_[i]});
    }
  }
  writer_.End(counts_, per_context, per_suppression);
}

int ErrorManager::ExitStatus(int program_status) const {
  return options_.error_exitcode != 0 && counts_.errors > 0 ? options_.error_exitcode
                                                            : program_status;
}

}  // namespace wasmgrind::memcheck
