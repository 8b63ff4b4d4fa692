// ReportWriter: the two shapes of a memcheck report, Valgrind's text (text_report.cc) and
// Valgrind's XML protocol 4 (xml_report.cc). The ErrorManager decides what is reported; a
// writer only lays it out. Everything it gets is already symbolized.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "memcheck/backtrace.h"
#include "memcheck/heap_tracker.h"
#include "memcheck/leak_checker.h"
#include "memcheck/memcheck_error.h"
#include "memcheck/memcheck_options.h"
#include "memcheck/report_sink.h"
#include "memcheck/suppressions.h"

namespace wasmgrind::memcheck {

struct RunInfo {
  int pid = 0;
  int ppid = 0;
  std::string tool_version;            // "wasmgrind 0.1"
  std::vector<std::string> tool_args;  // wasmgrind's own argv ("wasmgrind", "run", ...)
  std::vector<std::string> command;    // the program and its arguments
};

struct PrintedAux {
  std::string text;
  std::vector<SymbolizedFrame> stack;  // may be empty
};

struct PrintedError {
  uint64_t unique = 0;  // Valgrind's <unique>: 0, 1, ... in order of first report
  ErrorKind kind = ErrorKind::InvalidRead;
  std::string what;
  std::vector<SymbolizedFrame> stack;
  std::vector<PrintedAux> aux;
  std::optional<LeakAmounts> leak;
  std::optional<Suppression> suppression;  // --gen-suppressions=all
};

// The program stops as a native one dies of a fatal signal, in Valgrind's words ("Process
// terminating with default action of signal 11 (SIGSEGV)"): after a C stack overflow, which
// kills a native program with SIGSEGV, and after a trap (error_builders.h, NativeSignal). Not
// an error of its own (the error before it counts).
struct PrintedFatalSignal {
  int signo = 11;
  std::string signame = "SIGSEGV";
  int sicode = 1;                                         // SEGV_MAPERR
  std::string event = "Access not within mapped region";  // what si_code means; "": none
  std::optional<uint64_t> address = 0;                    // si_addr; none for a raised signal
  // Sent by the kernel (a fault), not raised by the program (abort()'s SIGABRT): Valgrind's -q
  // still shows it.
  bool from_kernel = true;
  std::string reason;  // text only, above the stack: "Stack overflow in thread #1: ..."
  std::vector<SymbolizedFrame> stack;
  std::vector<std::string> advice;  // text only, after the stack
};

// A file descriptor open at exit (--track-fds), as the VM knows it.
struct OpenFd {
  uint32_t fd = 0;
  std::string path;  // as the program named it; empty: none (stdio)
  // Not opened by the program: Valgrind's "<inherited from parent>" (stdio, preopened
  // directories).
  bool inherited = false;
  BacktraceId site = kNoBacktrace;  // where the program opened it (or renumbered it to `fd`)
};

// Valgrind's FILE DESCRIPTORS list: how many are open (`std` of them 0, 1 or 2) and those
// --track-fds shows, each with its open site's stack (none for an inherited one).
struct PrintedOpenFd {
  uint32_t fd = 0;
  std::string path;
  bool inherited = false;
  std::vector<SymbolizedFrame> stack;
};
struct PrintedOpenFds {
  uint64_t open = 0;
  uint64_t std = 0;
  std::vector<PrintedOpenFd> shown;  // Valgrind's order: the most recently opened first
};

struct ErrorCounts {
  uint64_t errors = 0;               // occurrences of reported (unsuppressed) errors
  uint64_t contexts = 0;             // distinct reported errors
  uint64_t suppressed_errors = 0;    // occurrences suppressed
  uint64_t suppressed_contexts = 0;  // suppressions that matched at least once
};

// One leak search's totals.
struct LeakTotals {
  LeakTotal by_kind[4];  // by LeakKind, suppressed records excluded
  LeakTotal suppressed;
  LeakTotal reachable_via[kLeakHeuristicCount];  // of the reachable ones, by LeakHeuristic

  const LeakTotal& of(LeakKind k) const { return by_kind[static_cast<int>(k)]; }
};

struct LeakOverview {
  LeakTotals now;
  LeakTotals before;  // the previous search's (zero before the first)
  // A search that shows changes (VALGRIND_DO_ADDED_LEAK_CHECK, ...): each number is followed
  // by its change since `before`, "40 (+30) bytes in 2 (+1) blocks".
  bool show_changes = false;
  LeakCheck mode = LeakCheck::Summary;
  LeakKindSet shown;
};

// A suppression that matched: its name, "file:line" of its name, and how many errors it took.
struct SuppressionUse {
  std::string name;
  std::string origin;
  uint64_t count = 0;
};

class ReportWriter {
 public:
  virtual ~ReportWriter() = default;
  virtual void Begin(const RunInfo& run) = 0;
  virtual void Error(const PrintedError& error) = 0;
  // A message of the tool's own (the error limit), in the report's prefix; not in XML.
  virtual void Notice(const std::vector<std::string>& lines) = 0;
  // --trace-malloc: one allocation call ("malloc(10) = 0x10610"), each of its lines in
  // Valgrind's debug-level prefix ("--PID-- "); not in XML (MemoryChecker writes those to
  // stderr's text).
  virtual void Trace(const std::string& lines) = 0;
  // The program is stopping (before ProgramFinished): written whatever -q says, as Valgrind.
  virtual void FatalSignal(const PrintedFatalSignal& signal) = 0;
  // --exit-on-first-error: the program is stopped after its first error; nothing follows.
  virtual void ExitOnFirstError() = 0;
  // The program finished (exited or trapped); leak errors may follow.
  virtual void ProgramFinished() = 0;
  // --track-fds: the descriptors open at exit (after ProgramFinished, before HeapSummary).
  virtual void OpenFds(const PrintedOpenFds& fds) = 0;
  virtual void HeapSummary(const HeapStats& stats) = 0;
  virtual void LeakSummary(const LeakOverview& overview) = 0;
  // The closing counts. `per_context` pairs each reported context's unique id with its
  // count, in order of first report; `per_suppression` lists the suppressions used.
  virtual void End(const ErrorCounts& counts,
                   const std::vector<std::pair<uint64_t, uint64_t>>& per_context,
                   const std::vector<SuppressionUse>& per_suppression) = 0;
};

// How the text report lays itself out: Valgrind's options for it (none applies to XML).
struct TextLayout {
  bool quiet = false;  // -q: errors only, no banner or summaries
  // -s: the errors are listed again at exit, with their counts, and the suppressions used, as
  // Valgrind's --show-error-list=yes does (also under -q).
  bool show_error_list = false;
  // --fullpath-after: source files are shown with their directory, less its part up to the
  // first of these strings found in it.
  std::vector<std::string> fullpath_after;
  // --error-markers=BEGIN,END: a line before and a line after each error (empty: none).
  std::array<std::string, 2> error_markers;
  // --time-stamp=yes: each line's prefix holds the time elapsed since the writer was made,
  // "==00:00:00:01.250 PID== ", as Valgrind's.
  bool time_stamp = false;
};
std::unique_ptr<ReportWriter> MakeTextWriter(ReportSink& sink, int pid, TextLayout layout = {});
// `user_comment`: --xml-user-comment's text, written as it is (empty: none).
std::unique_ptr<ReportWriter> MakeXmlWriter(ReportSink& sink, std::string user_comment = {});

// The time elapsed since `start` as Valgrind prints it: days:hours:minutes:seconds.millis,
// "00:00:01:02.345".
std::string ElapsedTime(std::chrono::steady_clock::time_point start);
// 1234567 -> "1,234,567", as Valgrind prints byte counts.
std::string WithCommas(uint64_t n);
// A number's change since a leak search that found `was`: " (+30)", " (-20)" (Valgrind's
// MC_(snprintf_delta)).
std::string LeakChange(uint64_t n, uint64_t was);

}  // namespace wasmgrind::memcheck
