// Parsing of Valgrind's memcheck options (see memcheck_options.h).
#include "memcheck/memcheck_options.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <utility>

namespace wasmgrind::memcheck {

namespace {

// Valgrind's limits: redzones up to 4 KiB, at most 500 callers (VG_DEEPEST_BACKTRACE).
constexpr uint64_t kMaxRedzone = 4096;
constexpr uint64_t kMaxCallers = 500;

Failure BadValue(std::string_view name, std::string_view value, std::string_view expected) {
  return Fail("bad option value: --" + std::string(name) + "=" + std::string(value) +
              " (expected " + std::string(expected) + ")");
}

std::optional<uint64_t> ParseUnsigned(std::string_view text) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

// Valgrind's hex byte (--malloc-fill=0xAB, or without the 0x).
std::optional<uint8_t> ParseHexByte(std::string_view text) {
  if (text.starts_with("0x") || text.starts_with("0X")) text.remove_prefix(2);
  if (text.empty() || text.size() > 2) return std::nullopt;
  unsigned v = 0;
  for (char c : text) {
    const int digit = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                      : std::isxdigit(static_cast<unsigned char>(c))
                          ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                          : -1;
    if (digit < 0) return std::nullopt;
    v = v * 16 + static_cast<unsigned>(digit);
  }
  return static_cast<uint8_t>(v);
}

std::optional<bool> ParseYesNo(std::string_view text) {
  if (text == "yes") return true;
  if (text == "no") return false;
  return std::nullopt;
}

// Valgrind's options by group (ApplyMemcheckOption): each applies the options it knows and
// returns false for any other name.
Expected<bool> ApplyLeakOption(MemcheckOptions& o, std::string_view name, std::string_view value) {
  if (name == "leak-check") {
    if (value == "no")
      o.leak_check = LeakCheck::No;
    else if (value == "summary")
      o.leak_check = LeakCheck::Summary;
    else if (value == "full" || value == "yes")
      o.leak_check = LeakCheck::Full;
    else
      return BadValue(name, value, "no, summary or full");
  } else if (name == "show-leak-kinds" || name == "errors-for-leak-kinds") {
    auto set = ParseLeakKindSet(value);
    if (!set) {
      return BadValue(name, value,
                      "all, none, or a comma-separated list of definite, indirect, possible, "
                      "reachable");
    }
    (name == "show-leak-kinds" ? o.show_leak_kinds : o.errors_for_leak_kinds) = *set;
  } else if (name == "leak-check-heuristics") {
    auto set = ParseLeakHeuristicSet(value);
    if (!set) {
      return BadValue(name, value,
                      "all, none, or a comma-separated list of stdstring, length64, newarray, "
                      "multipleinheritance");
    }
    o.leak_check_heuristics = *set;
  } else if (name == "leak-resolution") {
    if (value == "low")
      o.leak_resolution = LeakResolution::Low;
    else if (value == "med")
      o.leak_resolution = LeakResolution::Med;
    else if (value == "high")
      o.leak_resolution = LeakResolution::High;
    else
      return BadValue(name, value, "low, med or high");
  } else {
    return false;
  }
  return true;
}

Expected<bool> ApplyHeapOption(MemcheckOptions& o, std::string_view name, std::string_view value) {
  if (name == "keep-stacktraces") {
    static constexpr std::pair<std::string_view, KeepStacktraces> kModes[] = {
        {"alloc", KeepStacktraces::Alloc},
        {"free", KeepStacktraces::Free},
        {"alloc-and-free", KeepStacktraces::AllocAndFree},
        {"alloc-then-free", KeepStacktraces::AllocThenFree},
        {"none", KeepStacktraces::None}};
    const auto* mode = std::find_if(std::begin(kModes), std::end(kModes),
                                    [&](const auto& m) { return m.first == value; });
    if (mode == std::end(kModes)) {
      return BadValue(name, value, "alloc, free, alloc-and-free, alloc-then-free or none");
    }
    o.keep_stacktraces = mode->second;
  } else if (name == "malloc-fill" || name == "free-fill") {
    auto byte = ParseHexByte(value);
    if (!byte) return BadValue(name, value, "a byte in hexadecimal, 0x0 to 0xff");
    (name == "malloc-fill" ? o.malloc_fill : o.free_fill) = *byte;
  } else if (name == "alignment") {
    // Valgrind's range; wasm32's malloc aligns to 16 already.
    auto n = ParseUnsigned(value);
    if (!n || *n < 16 || *n > 4096 || (*n & (*n - 1)) != 0) {
      return BadValue(name, value, "a power of 2 from 16 to 4096");
    }
    o.alignment = static_cast<uint32_t>(*n);
  } else if (name == "redzone-size") {
    auto n = ParseUnsigned(value);
    if (!n || *n > kMaxRedzone) return BadValue(name, value, "a byte count from 0 to 4096");
    o.redzone_size = static_cast<uint32_t>(*n);
  } else if (name == "freelist-vol" || name == "freelist-big-blocks") {
    auto n = ParseUnsigned(value);
    if (!n) return BadValue(name, value, "a byte count");
    (name == "freelist-vol" ? o.freelist_vol : o.freelist_big_blocks) = *n;
  } else {
    return false;
  }
  return true;
}

Expected<bool> ApplyReportOption(MemcheckOptions& o, std::string_view name,
                                 std::string_view value) {
  if (name == "log-fd" || name == "xml-fd") {
    auto n = ParseUnsigned(value);
    if (!n || *n > static_cast<uint64_t>(std::numeric_limits<int>::max())) {
      return BadValue(name, value, "a file descriptor number");
    }
    (name == "log-fd" ? o.log_fd : o.xml_fd) = static_cast<int>(*n);
    (name == "log-fd" ? o.log_file : o.xml_file).clear();
  } else if (name == "error-markers") {
    // Valgrind's: BEGIN up to the first comma, END after it; either may be empty.
    const size_t comma = value.find(',');
    o.error_markers = {std::string(value.substr(0, comma)),
                       comma == std::string_view::npos ? "" : std::string(value.substr(comma + 1))};
  } else if (name == "xml-user-comment") {
    o.xml_user_comment = value;
  } else if (name == "fullpath-after") {
    o.fullpath_after.emplace_back(value);  // empty: the whole path
  } else if (name == "tool") {
    if (value != "memcheck") {
      return Fail("--tool=" + std::string(value) +
                  ": wasmgrind's one tool is memcheck (--tool=memcheck, or --memcheck)");
    }
  } else if (name == "num-callers") {
    auto n = ParseUnsigned(value);
    if (!n || *n < 1 || *n > kMaxCallers) return BadValue(name, value, "a number from 1 to 500");
    o.num_callers = static_cast<uint32_t>(*n);
  } else if (name == "error-exitcode") {
    // 0 disables; 1..255 are what a process can carry.
    auto n = ParseUnsigned(value);
    if (!n || *n > 255) return BadValue(name, value, "an exit status from 0 to 255");
    o.error_exitcode = static_cast<int>(*n);
  } else if (name == "log-file" || name == "xml-file" || name == "suppressions") {
    if (value.empty()) return BadValue(name, value, "a file name");
    // A file or a descriptor: the last one given counts, as in Valgrind.
    if (name == "log-file") {
      o.log_file = value;
      o.log_fd.reset();
    } else if (name == "xml-file") {
      o.xml_file = value;
      o.xml_fd.reset();
    } else {
      o.suppressions.emplace_back(value);
    }
  } else if (name == "gen-suppressions") {
    if (value == "no")
      o.gen_suppressions = GenSuppressions::No;
    else if (value == "all")
      o.gen_suppressions = GenSuppressions::All;
    else if (value == "yes") {
      return Fail(
          "--gen-suppressions=yes asks on the terminal after each error, which "
          "wasmgrind does not do: use --gen-suppressions=all");
    } else {
      return BadValue(name, value, "no or all");
    }
  } else {
    return false;
  }
  return true;
}

// Valgrind's options about its own machinery, which wasmgrind has no counterpart of: their
// values are checked, so that a command line is read as Valgrind reads it, and then unused.
Expected<bool> ApplyMachineryOption(std::string_view name, std::string_view value) {
  auto one_of = [&](std::initializer_list<std::string_view> values,
                    std::string_view expected) -> Expected<bool> {
    for (std::string_view v : values) {
      if (v == value) return true;
    }
    return BadValue(name, value, expected);
  };
  // vgdb: no gdbserver for gdb to attach to (Valgrind's starts only when gdb connects).
  if (name == "vgdb") return one_of({"no", "yes", "full"}, "no, yes or full");
  // The JIT's definedness rules for arithmetic and comparisons are fixed; this does not
  // change them.
  if (name == "expensive-definedness-checks")
    return one_of({"no", "auto", "yes"}, "no, auto or yes");
  // Wasm code cannot modify itself.
  if (name == "smc-check") {
    return one_of({"none", "stack", "all", "all-non-file"}, "none, stack, all or all-non-file");
  }
  // Valgrind guesses stack switches from large moves of the stack pointer; wasmgrind knows
  // the C stack's bounds from the module.
  if (name == "max-stackframe") {
    if (!ParseUnsigned(value)) return BadValue(name, value, "a byte count");
    return true;
  }
  // Whether glibc's and libstdc++'s exit hooks free their memory (wasi-libc has none); VEX's
  // emulation warnings and SIGILL diagnostics (no VEX here); more of the gdbserver.
  if (name == "run-libc-freeres" || name == "run-cxx-freeres" || name == "show-emwarns" ||
      name == "sigill-diagnostics" || name == "vgdb-shadow-registers") {
    return one_of({"yes", "no"}, "yes or no");
  }
  // Valgrind's thread scheduling and thread limit: a wasm32-wasi program has one thread.
  if (name == "fair-sched") return one_of({"no", "yes", "try"}, "no, yes or try");
  if (name == "max-threads" || name == "vgdb-poll") {
    if (!ParseUnsigned(value)) return BadValue(name, value, "a number");
    return true;
  }
  // Which children --trace-children skips (there are none); the gdbserver's FIFOs.
  return name == "trace-children-skip" || name == "trace-children-skip-by-arg" ||
         name == "vgdb-prefix";
}

// Valgrind's options that wasmgrind does not offer, each with why: a clearer message than an
// unknown option's. nullptr: not one of them.
const char* UnsupportedValgrindOption(std::string_view name) {
  static constexpr std::pair<std::string_view, const char*> kWhy[] = {
      {"vgdb-error", "wasmgrind has no gdbserver for gdb to attach to"},
      {"vgdb-stop-at", "wasmgrind has no gdbserver for gdb to attach to"},
      {"main-stacksize",
       "a wasm program's C stack size is fixed when it is linked (-Wl,-z,stack-size=N)"},
      {"valgrind-stacksize", "wasmgrind runs on the host's stack, not a stack of its own"},
      {"read-var-info", "addresses in globals are described by their data symbol, not by variable"},
      {"xtree-leak", "xtree output is not written"},
      {"xtree-leak-file", "xtree output is not written"},
      {"xtree-memory", "xtree output is not written"},
      {"xtree-memory-file", "xtree output is not written"},
      {"log-socket", "reports go to a file or a descriptor: use --log-file or --log-fd"},
      {"xml-socket", "reports go to a file or a descriptor: use --xml-file or --xml-fd"},
      {"ignore-ranges", "every address of memory 0 is checked"},
      {"ignore-range-below-sp", "every address of memory 0 is checked"},
      {"extra-debuginfo-path", "debug information is read from the module itself"},
      {"debuginfo-server", "debug information is read from the module itself"},
      {"allow-mismatched-debuginfo", "debug information is read from the module itself"},
      {"keep-debuginfo", "debug information is read from the module itself"},
      {"merge-recursive-frames", "recursive frames are not merged"},
  };
  for (const auto& [n, why] : kWhy) {
    if (n == name) return why;
  }
  return nullptr;
}

// Valgrind's core options that are about the program rather than the report.
Expected<bool> ApplyCoreOption(MemcheckOptions& o, std::string_view name, std::string_view value) {
  if (name != "track-fds") return false;
  if (value == "no")
    o.track_fds = TrackFds::No;
  else if (value == "yes")
    o.track_fds = TrackFds::Yes;
  else if (value == "all")
    o.track_fds = TrackFds::All;
  else
    return BadValue(name, value, "no, yes or all");
  return true;
}

// Valgrind's yes/no options that set one flag each.
constexpr std::pair<std::string_view, bool MemcheckOptions::*> kFlags[] = {
    {"xml", &MemcheckOptions::xml},
    {"track-origins", &MemcheckOptions::track_origins},
    {"undef-value-errors", &MemcheckOptions::undef_value_errors},
    {"error-limit", &MemcheckOptions::error_limit},
    {"exit-on-first-error", &MemcheckOptions::exit_on_first_error},
    {"show-mismatched-frees", &MemcheckOptions::show_mismatched_frees},
    {"show-below-main", &MemcheckOptions::show_below_main},
    {"default-suppressions", &MemcheckOptions::default_suppressions},
    {"read-inline-info", &MemcheckOptions::read_inline_info},
    {"trace-malloc", &MemcheckOptions::trace_malloc},
    {"demangle", &MemcheckOptions::demangle},
    {"time-stamp", &MemcheckOptions::time_stamp},
    {"partial-loads-ok", &MemcheckOptions::partial_loads_ok},
};

// The rest: options whose value is yes or no.
Expected<bool> ApplyYesNoOption(MemcheckOptions& o, std::string_view name, std::string_view value) {
  auto yes = ParseYesNo(value);
  if (!yes) return BadValue(name, value, "yes or no");
  for (const auto& [flag, member] : kFlags) {
    if (flag == name) {
      o.*member = *yes;
      return true;
    }
  }
  if (name == "show-error-list") {
    o.show_error_list = *yes;
    o.show_error_list_given = true;
  } else if (name == "show-reachable") {  // Valgrind's older options, still accepted
    o.show_leak_kinds = *yes ? LeakKindSet::All() : o.show_leak_kinds.Without(LeakKind::Reachable);
  } else if (name == "show-possibly-lost") {
    o.show_leak_kinds = *yes ? o.show_leak_kinds.With(LeakKind::Possible)
                             : o.show_leak_kinds.Without(LeakKind::Possible);
  }
  // Else trace-children or child-silent-after-fork: a wasm32-wasi program starts no process
  // (WASI has no fork or exec), so there is nothing to trace and nothing to silence.
  return true;
}

}  // namespace

bool KeepsAllocStacks(KeepStacktraces keep) {
  return keep == KeepStacktraces::Alloc || keep == KeepStacktraces::AllocAndFree ||
         keep == KeepStacktraces::AllocThenFree;
}

bool KeepsFreeStacks(KeepStacktraces keep) {
  return keep == KeepStacktraces::Free || keep == KeepStacktraces::AllocAndFree ||
         keep == KeepStacktraces::AllocThenFree;
}

const std::vector<OptionHelp>& MemcheckOptionHelp() {
  static const std::vector<OptionHelp> help = {
      {"--leak-check=no|summary|full", "search for memory leaks at exit [summary]"},
      {"--show-leak-kinds=kind1,kind2,..",
       "which leak kinds to show: definite indirect possible reachable all none "
       "[definite,possible]"},
      {"--errors-for-leak-kinds=kind1,kind2,..", "which leak kinds are errors [definite,possible]"},
      {"--leak-check-heuristics=heur1,heur2,..",
       "interior pointers that count as start pointers: stdstring length64 newarray "
       "multipleinheritance all none [all]"},
      {"--leak-resolution=low|med|high",
       "how many frames of allocation stacks must agree to merge loss records [high]"},
      {"--show-reachable=no|yes", "old form: yes is --show-leak-kinds=all, no drops reachable"},
      {"--show-possibly-lost=no|yes", "old form: adds or drops possible in --show-leak-kinds"},
      {"--show-mismatched-frees=no|yes", "report frees by the wrong function family [yes]"},
      {"--malloc-fill=<hexnumber>", "fill new heap blocks with this byte (still undefined)"},
      {"--free-fill=<hexnumber>", "fill freed heap blocks with this byte"},
      {"--redzone-size=<number>", "bytes of redzone before and after each heap block [16]"},
      {"--alignment=<number>", "least alignment of heap blocks, a power of 2 to 4096 [16]"},
      {"--freelist-vol=<number>", "bytes of freed blocks held back from reuse [20000000]"},
      {"--freelist-big-blocks=<number>",
       "freed blocks of at least this size are reused first [1000000]"},
      {"--keep-stacktraces=alloc|free|alloc-and-free|alloc-then-free|none",
       "stack trace(s) to keep for heap blocks [alloc-and-free]"},
      {"--num-callers=<number>", "show <number> callers in stack traces [12]"},
      {"--track-fds=no|yes|all",
       "list the file descriptors open at exit, with where each was opened; all: stdin, "
       "stdout and stderr too [no]"},
      {"--show-below-main=no|yes", "continue stack traces below main() [no]"},
      {"--demangle=no|yes", "show C++ names demangled [yes]"},
      {"--read-inline-info=yes|no", "show inlined calls as frames of their own [yes]"},
      {"--trace-malloc=no|yes", "show each call of an allocation function [no]"},
      {"--time-stamp=no|yes", "start each line of the text report with the time elapsed [no]"},
      {"--error-markers=<begin>,<end>",
       "add lines with begin/end markers before/after each error in the text report [none]"},
      {"--fullpath-after=<string>",
       "show source paths, less their part up to <string> (empty: whole paths; repeatable)"},
      {"--error-exitcode=<number>", "exit status when errors were found [0=disable]"},
      {"--log-file=<file>", "write the report to <file> (%p: the process id) [stderr]"},
      {"--log-fd=<number>", "write the report to file descriptor <number> [2=stderr]"},
      {"--xml=yes", "emit the errors as XML, Valgrind's protocol 4 (needs --xml-file)"},
      {"--xml-file=<file>", "where the XML goes (%p: the process id)"},
      {"--xml-fd=<number>", "or the file descriptor it goes to"},
      {"--xml-user-comment=STR", "copy STR into the XML as it is (in <usercomment>)"},
      {"--suppressions=<file>", "suppress errors described in <file> (repeatable)"},
      {"--default-suppressions=yes|no",
       "use the built-in suppressions (wasi-libc's argv and environ blocks) [yes]"},
      {"--gen-suppressions=no|all", "print a suppression for each error [no]"},
      {"--tool=memcheck", "the one tool there is: the same as --memcheck"},
      {"-q, --quiet", "report errors only: no banner or summaries"},
      {"-v, --verbose", "list the errors and suppressions used at exit, as -s"},
      {"-s", "list the errors again at exit, with their counts (--show-error-list=yes)"},
      {"--show-error-list=no|yes", "list the errors again at exit, with their counts [no]"},
      {"--error-limit=no|yes", "stop showing new errors after 1000 contexts [yes]"},
      {"--trace-children=no|yes",
       "accepted for Valgrind's command lines: a WASI program starts no processes"},
      {"--child-silent-after-fork=no|yes", "accepted likewise: a WASI program cannot fork"},
      {"--vgdb=no|yes|full", "accepted: wasmgrind has no gdbserver for gdb to attach to"},
      {"--expensive-definedness-checks=no|auto|yes",
       "accepted: the definedness rules are wasmgrind's own, whatever it says"},
      {"--smc-check=none|stack|all|all-non-file", "accepted: wasm code cannot modify itself"},
      {"--max-stackframe=<number>",
       "accepted: the C stack's bounds are the module's, not guessed from stack pointer moves"},
      {"--run-libc-freeres=, --run-cxx-freeres=, --fair-sched=, --max-threads=, "
       "--trace-children-skip=, --vgdb-poll=, ...",
       "accepted: Valgrind's own machinery, which wasmgrind has no counterpart of"},
      {"--exit-on-first-error=no|yes",
       "stop the program at the first error, exiting with --error-exitcode's status [no]"},
      {"--undef-value-errors=no|yes", "check for undefined value errors [yes]"},
      {"--partial-loads-ok=no|yes",
       "an aligned 4-byte load with some addressable bytes is no error; the others read as "
       "undefined [yes]"},
      {"--track-origins=no|yes", "show the origin of undefined values [no]"},
  };
  return help;
}

Expected<bool> ApplyMemcheckOption(MemcheckOptions& o, std::string_view arg) {
  if (arg == "-q" || arg == "--quiet") {
    o.quiet = true;
    return true;
  }
  if (arg == "-s") {
    o.show_error_list = o.show_error_list_given = true;
    return true;
  }
  if (arg == "-v" || arg == "--verbose") {
    // Valgrind's: from verbosity 2, the errors and suppressions used are listed at exit unless
    // --show-error-list=no says otherwise.
    if (++o.verbosity > 1 && !o.show_error_list_given) o.show_error_list = true;
    return true;
  }
  if (arg.substr(0, 2) != "--") return false;
  std::string_view body = arg.substr(2);
  size_t eq = body.find('=');
  std::string_view name = body.substr(0, eq);
  bool has_value = eq != std::string_view::npos;
  std::string_view value = has_value ? body.substr(eq + 1) : std::string_view();

  static constexpr std::string_view kNames[] = {"leak-check",
                                                "show-leak-kinds",
                                                "errors-for-leak-kinds",
                                                "leak-check-heuristics",
                                                "redzone-size",
                                                "freelist-vol",
                                                "num-callers",
                                                "error-exitcode",
                                                "log-file",
                                                "xml-file",
                                                "suppressions",
                                                "gen-suppressions",
                                                "show-error-list",
                                                "leak-resolution",
                                                "show-reachable",
                                                "show-possibly-lost",
                                                "malloc-fill",
                                                "free-fill",
                                                "keep-stacktraces",
                                                "freelist-big-blocks",
                                                "tool",
                                                "trace-children",
                                                "child-silent-after-fork",
                                                "fullpath-after",
                                                "log-fd",
                                                "xml-fd",
                                                "error-markers",
                                                "alignment",
                                                "vgdb",
                                                "expensive-definedness-checks",
                                                "smc-check",
                                                "max-stackframe",
                                                "xml-user-comment",
                                                "run-libc-freeres",
                                                "run-cxx-freeres",
                                                "show-emwarns",
                                                "sigill-diagnostics",
                                                "vgdb-shadow-registers",
                                                "fair-sched",
                                                "max-threads",
                                                "vgdb-poll",
                                                "trace-children-skip",
                                                "trace-children-skip-by-arg",
                                                "vgdb-prefix",
                                                "track-fds"};
  bool known = false;
  for (std::string_view n : kNames) known = known || n == name;
  for (const auto& flag : kFlags) known = known || flag.first == name;
  if (!known) {
    if (const char* why = UnsupportedValgrindOption(name)) {
      return Fail("--" + std::string(name) + " (Valgrind's) is not supported: " + why);
    }
    return false;
  }
  if (!has_value)
    return Fail("option --" + std::string(name) + " needs a value (--" + std::string(name) +
                "=...)");

  // Each group's function applies the options it knows, and says false for the others.
  for (auto apply : {ApplyLeakOption, ApplyHeapOption, ApplyReportOption, ApplyCoreOption}) {
    Expected<bool> applied = apply(o, name, value);
    if (!applied.ok() || applied.value()) return applied;
  }
  if (Expected<bool> applied = ApplyMachineryOption(name, value);
      !applied.ok() || applied.value()) {
    return applied;
  }
  return ApplyYesNoOption(o, name, value);
}

Expected<void> ValidateMemcheckOptions(const MemcheckOptions& o) {
  if (o.xml && o.xml_file.empty() && !o.xml_fd) {
    return Fail("--xml=yes needs --xml-file=<file> (the XML goes there, the text to stderr)");
  }
  if (!o.xml && !o.xml_file.empty()) return Fail("--xml-file is given but --xml=yes is not");
  if (!o.xml && o.xml_fd) return Fail("--xml-fd is given but --xml=yes is not");
  if (o.track_origins && !o.undef_value_errors) {
    return Fail("--track-origins=yes has no effect with --undef-value-errors=no");
  }
  return {};
}

}  // namespace wasmgrind::memcheck
