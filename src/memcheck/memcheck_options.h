// MemcheckOptions: Valgrind's memcheck options, under Valgrind's names and with its defaults,
// so a command line written for valgrind works unchanged. The CLI hands every argument that
// looks like one to ApplyMemcheckOption; a bad value comes back as a one-line message.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "memcheck/expected.h"
#include "memcheck/leak_kind.h"

namespace wasmgrind::memcheck {

enum class LeakCheck : uint8_t { No, Summary, Full };
enum class GenSuppressions : uint8_t { No, All };
// --leak-resolution: how many frames of two blocks' allocation stacks must agree for the blocks
// to share a loss record (low 2, med 4, high all).
enum class LeakResolution : uint8_t { Low, Med, High };
// --keep-stacktraces: which stacks a heap block keeps. AllocThenFree keeps one, the free's
// replacing the allocation's. A stack not kept prints as Valgrind's "at 0x0: ???".
enum class KeepStacktraces : uint8_t { Alloc, Free, AllocAndFree, AllocThenFree, None };
// --track-fds (Valgrind's core option): the file descriptors open at exit are listed, with
// where the program opened each; Yes leaves out stdin, stdout and stderr (0, 1, 2), All
// lists them too.
enum class TrackFds : uint8_t { No, Yes, All };
bool KeepsAllocStacks(KeepStacktraces keep);
bool KeepsFreeStacks(KeepStacktraces keep);

struct MemcheckOptions {
  uint32_t redzone_size = 16;
  uint32_t alignment = 16;  // --alignment: every heap block's least alignment (16..4096)
  uint64_t freelist_vol = 20'000'000;
  uint64_t freelist_big_blocks = 1'000'000;  // freed blocks this large leave the quarantine first
  LeakCheck leak_check = LeakCheck::Summary;
  LeakKindSet show_leak_kinds = LeakKindSet::Of({LeakKind::Definite, LeakKind::Possible});
  LeakKindSet errors_for_leak_kinds = LeakKindSet::Of({LeakKind::Definite, LeakKind::Possible});
  LeakHeuristicSet leak_check_heuristics = LeakHeuristicSet::All();
  LeakResolution leak_resolution = LeakResolution::High;
  KeepStacktraces keep_stacktraces = KeepStacktraces::AllocAndFree;
  bool show_mismatched_frees = true;  // report frees by the wrong family
  bool show_below_main = false;       // stacks go on below main (else they end there)
  bool demangle = true;               // C++ names demangled (else as the module spells them)
  bool time_stamp = false;            // each text line starts with the time since the start
  // --partial-loads-ok: an aligned word load with some addressable bytes is no error, its other
  // bytes read as undefined (MemoryChecker::PartialLoadPasses).
  bool partial_loads_ok = true;
  std::optional<uint8_t> malloc_fill;  // --malloc-fill: new blocks' bytes (still undefined)
  std::optional<uint8_t> free_fill;    // --free-fill: freed blocks' bytes
  uint32_t num_callers = 12;
  TrackFds track_fds = TrackFds::No;
  std::vector<std::string> fullpath_after;   // --fullpath-after (repeatable): text shows paths
  std::array<std::string, 2> error_markers;  // --error-markers=BEGIN,END (text only)
  bool xml = false;
  std::string xml_file;                   // may contain %p (the process id), as Valgrind's
  std::string log_file;                   // empty: stderr
  std::optional<int> log_fd;              // --log-fd: the text report goes to this descriptor
  std::optional<int> xml_fd;              // --xml-fd: the XML goes to this descriptor
  std::string xml_user_comment;           // --xml-user-comment: copied into the XML as it is
  bool read_inline_info = true;           // inlined calls are frames of their own
  bool trace_malloc = false;              // --trace-malloc: each allocation call, as a line
  std::vector<std::string> suppressions;  // files, in the order given
  bool default_suppressions = true;       // the built-in ones (default_suppressions.h)
  GenSuppressions gen_suppressions = GenSuppressions::No;
  int error_exitcode = 0;              // 0: the program's own status (Valgrind's "0 = disable")
  bool quiet = false;                  // -q: errors only, no banner or summaries
  bool show_error_list = false;        // -s: the errors again at exit, with counts and suppressions
  bool show_error_list_given = false;  // -s or --show-error-list: -v does not change it
  int verbosity = 1;                   // -v: 2 and more list the errors at exit (Valgrind's)
  bool error_limit = true;             // stop reporting after 1000 contexts / 10,000,000 errors
  bool exit_on_first_error = false;    // the program stops after the first error reported
  bool track_origins = false;          // --track-origins: where undefined values came from
  bool undef_value_errors = true;      // --undef-value-errors: track and report undefined values
  // Internal (no option): the code under check tracks V bits (the VM's
  // EngineOptions::memcheck_values), so its stores write the state of what they store. Set by
  // whoever compiles that code (the tool: with --undef-value-errors). Off: everything is
  // painted Defined and nothing is reported about definedness, whatever --undef-value-errors
  // says, since stores of code that does not track V bits would leave the shadow Undefined.
  bool track_definedness = false;
};

// One documented option, for --help.
struct OptionHelp {
  const char* syntax;       // "--leak-check=no|summary|full"
  const char* description;  // "search for memory leaks at exit [summary]"
};
const std::vector<OptionHelp>& MemcheckOptionHelp();

// Applies `arg` ("--leak-check=full", "-q", ...) to `options`. Returns false when `arg` is
// not a memcheck option (the caller's to handle), true when it was applied, and a failure
// naming the option and the accepted values when its value is bad.
Expected<bool> ApplyMemcheckOption(MemcheckOptions& options, std::string_view arg);

// Checks that hold between options (--xml=yes needs --xml-file, ...), once all are applied.
Expected<void> ValidateMemcheckOptions(const MemcheckOptions& options);

}  // namespace wasmgrind::memcheck
