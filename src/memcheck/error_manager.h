// ErrorManager: everything between finding an error and printing it, as Valgrind's error
// manager does it: suppression, one report per context (kind, size, and the innermost four
// frames) with a count, leak records turned into errors by --show-leak-kinds and
// --errors-for-leak-kinds, the summaries at exit, and the exit status (--error-exitcode).
//
// The runtime owns one per checked instance. Report() is called from the JIT's slow path and
// the allocator hooks (outside any signal handler); Finish() once at exit.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "memcheck/backtrace.h"
#include "memcheck/heap_tracker.h"
#include "memcheck/leak_checker.h"
#include "memcheck/memcheck_error.h"
#include "memcheck/memcheck_options.h"
#include "memcheck/report_writer.h"
#include "memcheck/suppressions.h"

namespace wasmgrind::memcheck {

// A leak search: what it reports (Full: the loss records and the summary; Summary: the
// summary only), and which records (Valgrind's LeakCheckDeltaMode): those with blocks (Any:
// the exit's search, VALGRIND_DO_LEAK_CHECK), or those whose numbers grew (Increased:
// VALGRIND_DO_ADDED_LEAK_CHECK), changed (Changed: VALGRIND_DO_CHANGED_LEAK_CHECK) or that
// are new (New: VALGRIND_DO_NEW_LEAK_CHECK) since the previous search, with the changes
// printed.
enum class LeakDelta : uint8_t { Any, Increased, Changed, New };
struct LeakSearch {
  LeakCheck mode = LeakCheck::Full;
  LeakDelta delta = LeakDelta::Any;
};

// Dropped: past the error limit (--error-limit), neither shown nor counted, as Valgrind.
enum class ErrorFate : uint8_t { Reported, Repeated, Suppressed, Dropped };

// --track-fds: the descriptors open at exit, the most recently opened first. Under --xml=yes
// the list goes as text to `text` (Valgrind 3.19 writes only the open sites' stacks into the
// XML).
struct ExitFds {
  std::span<const OpenFd> open;
  ReportWriter* text = nullptr;
};

class ErrorManager {
 public:
  ErrorManager(const MemcheckOptions& options, const BacktraceStore& backtraces,
               const Symbolizer& symbolizer, ReportWriter& writer,
               std::vector<Suppression> suppressions);

  void Begin(const RunInfo& run) { writer_.Begin(run); }
  // A message of the tool's own (ReportWriter::Notice).
  void Notice(const std::vector<std::string>& lines) { writer_.Notice(lines); }

  ErrorFate Report(const MemcheckError& error);
  // The program stops as if killed by a signal (after the error that says why); `stack`: where.
  void FatalSignal(PrintedFatalSignal signal, BacktraceId stack);

  // At exit. `heap`: null when no allocator was found (no heap summary). `leaks`: the leak
  // scan, null under --leak-check=no. `fds`: listed first, with --track-fds.
  void Finish(const HeapStats* heap, const LeakResult* leaks, const ExitFds& fds = {});
  // A leak search's results as loss records (errors) and the leak summary: mid-run (the leak
  // check client requests); at exit through Finish.
  void ReportLeaks(const LeakResult& leaks, LeakSearch search);
  // The last leak search's totals (VALGRIND_COUNT_LEAKS), zero before the first. A search
  // that finds no live block leaves them as they were, as Valgrind's does.
  const LeakTotals& last_leaks() const { return last_leaks_; }

  const ErrorCounts& counts() const { return counts_; }
  // --exit-on-first-error: called with the status to exit with (--error-exitcode's, 0 when
  // unset, as Valgrind's) once the first error is reported; it must not return. Without one
  // the option only ends the report.
  void set_exit(std::function<void(int)> exit) { exit_ = std::move(exit); }
  // --error-exitcode: its value when errors were reported, else the program's own status.
  int ExitStatus(int program_status) const;

 private:
  using ContextKey = std::tuple<ErrorKind, uint32_t, std::string, std::string, Backtrace>;
  struct Context {
    uint64_t count = 0;
    uint64_t unique = 0;
    int suppression = -1;  // index into suppressions_, or -1: reported
  };

  std::vector<SymbolizedFrame> Symbolize(BacktraceId id) const;
  // Valgrind's list of the descriptors open at exit (Finish). Nothing without --track-fds,
  // nor under -q when no descriptor would be shown.
  void OpenFds(const ExitFds& fds);
  // What a report shows of a symbolized stack (--show-below-main).
  std::vector<SymbolizedFrame> Shown(std::vector<SymbolizedFrame> frames) const;
  // A block's or an origin's stack, which Valgrind prints even when it was not recorded.
  std::vector<SymbolizedFrame> SymbolizeKept(BacktraceId id) const;
  int FindSuppression(const MemcheckError& error, const std::vector<SymbolizedFrame>& stack) const;
  void Print(const MemcheckError& error, const std::vector<SymbolizedFrame>& stack,
             uint64_t unique);
  // A loss record kept from search to search, as Valgrind keeps them: the numbers of this
  // search and of the one before (zero for a record new in this one).
  struct KeptRecord {
    LossRecord now;
    LossRecord before;
    // Whether a search of `delta` reports it (Valgrind's get_printing_rules).
    bool Shown(LeakDelta delta) const;
  };
  // The kept records updated by this search's `leaks`, in report order.
  std::vector<KeptRecord*> KeepRecords(const LeakResult& leaks);

  const MemcheckOptions& options_;
  const BacktraceStore& backtraces_;
  const Symbolizer& symbolizer_;
  ReportWriter& writer_;
  std::vector<Suppression> suppressions_;
  std::vector<uint64_t> suppression_uses_;  // occurrences, by suppression index

  std::map<ContextKey, Context> contexts_;
  std::vector<std::pair<uint64_t, uint64_t*>> reported_;  // unique id -> its count, in order
  uint64_t next_unique_ = 0;
  ErrorCounts counts_;
  bool over_limit_ = false;
  std::function<void(int)> exit_;
  std::map<std::pair<LeakKind, BacktraceId>, KeptRecord> loss_records_;
  LeakTotals last_leaks_;
};

// "24 (8 direct, 16 indirect) bytes in 1 blocks are definitely lost in loss record 4 of 5";
// with `before` (a search that shows changes), each number followed by its change since then:
// "30 (+30) bytes in 1 (+1) blocks are ...".
std::string LossRecordText(const LossRecord& record, uint32_t number, uint32_t total,
                           const LossRecord* before = nullptr);

}  // namespace wasmgrind::memcheck
