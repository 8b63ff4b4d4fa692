// MemcheckOptions: Valgrind's defaults, every option's values, and the message for bad ones.
#include "memcheck/memcheck_options.h"

#include <gtest/gtest.h>

namespace wasmgrind::memcheck {
namespace {

MemcheckOptions Parse(std::initializer_list<const char*> args) {
  MemcheckOptions o;
  for (const char* a : args) {
    auto r = ApplyMemcheckOption(o, a);
    EXPECT_TRUE(r.ok()) << a << ": " << r.error();
    EXPECT_TRUE(r.ok() && r.value()) << a << " was not recognised";
  }
  return o;
}

std::string ErrorOf(const char* arg) {
  MemcheckOptions o;
  auto r = ApplyMemcheckOption(o, arg);
  return r.ok() ? "" : r.error();
}

TEST(MemcheckOptionsTest, DefaultsAreValgrinds) {
  MemcheckOptions o;
  EXPECT_EQ(o.redzone_size, 16u);
  EXPECT_EQ(o.freelist_vol, 20000000u);
  EXPECT_EQ(o.leak_check, LeakCheck::Summary);
  EXPECT_EQ(LeakKindSetWords(o.show_leak_kinds), "definite,possible");
  EXPECT_EQ(LeakKindSetWords(o.errors_for_leak_kinds), "definite,possible");
  EXPECT_EQ(o.num_callers, 12u);
  EXPECT_EQ(o.error_exitcode, 0);
  EXPECT_FALSE(o.quiet);
  EXPECT_TRUE(o.error_limit);
  EXPECT_TRUE(ValidateMemcheckOptions(o).ok());
}

TEST(MemcheckOptionsTest, EveryOptionIsApplied) {
  MemcheckOptions o =
      Parse({"--redzone-size=64", "--freelist-vol=1000", "--leak-check=full",
             "--show-leak-kinds=all", "--errors-for-leak-kinds=definite", "--num-callers=30",
             "--xml=yes", "--xml-file=out.%p.xml", "--log-file=log.txt", "--suppressions=a.supp",
             "--suppressions=b.supp", "--gen-suppressions=all", "--error-exitcode=99", "-q",
             "--track-origins=yes", "--undef-value-errors=yes", "--error-limit=no", "-s"});
  EXPECT_EQ(o.redzone_size, 64u);
  EXPECT_EQ(o.freelist_vol, 1000u);
  EXPECT_EQ(o.leak_check, LeakCheck::Full);
  EXPECT_EQ(o.show_leak_kinds, LeakKindSet::All());
  EXPECT_EQ(o.errors_for_leak_kinds, LeakKindSet::Of({LeakKind::Definite}));
  EXPECT_EQ(o.num_callers, 30u);
  EXPECT_TRUE(o.xml);
  EXPECT_EQ(o.xml_file, "out.%p.xml");
  EXPECT_EQ(o.log_file, "log.txt");
  EXPECT_EQ(o.suppressions, (std::vector<std::string>{"a.supp", "b.supp"}));
  EXPECT_EQ(o.gen_suppressions, GenSuppressions::All);
  EXPECT_EQ(o.error_exitcode, 99);
  EXPECT_TRUE(o.quiet);
  EXPECT_TRUE(o.track_origins);
  EXPECT_FALSE(o.error_limit);
  EXPECT_TRUE(o.show_error_list);
  EXPECT_TRUE(ValidateMemcheckOptions(o).ok());
  EXPECT_TRUE(Parse({"--show-error-list=yes"}).show_error_list);
  EXPECT_FALSE(Parse({"-s", "--show-error-list=no"}).show_error_list);
}

TEST(MemcheckOptionsTest, LeakCheckValues) {
  EXPECT_EQ(Parse({"--leak-check=no"}).leak_check, LeakCheck::No);
  EXPECT_EQ(Parse({"--leak-check=summary"}).leak_check, LeakCheck::Summary);
  EXPECT_EQ(Parse({"--leak-check=yes"}).leak_check, LeakCheck::Full);
  EXPECT_EQ(Parse({"--show-leak-kinds=none"}).show_leak_kinds, LeakKindSet());
  EXPECT_EQ(Parse({"--show-leak-kinds=reachable,indirect"}).show_leak_kinds,
            LeakKindSet::Of({LeakKind::Reachable, LeakKind::Indirect}));
  EXPECT_EQ(MemcheckOptions{}.leak_check_heuristics, LeakHeuristicSet::All());
  EXPECT_EQ(Parse({"--leak-check-heuristics=none"}).leak_check_heuristics, LeakHeuristicSet());
  EXPECT_EQ(
      Parse({"--leak-check-heuristics=length64,multipleinheritance"}).leak_check_heuristics,
      LeakHeuristicSet().With(LeakHeuristic::Length64).With(LeakHeuristic::MultipleInheritance));
}

TEST(MemcheckOptionsTest, OtherArgumentsAreNotOurs) {
  MemcheckOptions o;
  for (const char* a : {"--dir", "--max-wasm-stack=1M", "prog.wasm", "-x", "--leak"}) {
    auto r = ApplyMemcheckOption(o, a);
    ASSERT_TRUE(r.ok()) << a;
    EXPECT_FALSE(r.value()) << a;
  }
}

TEST(MemcheckOptionsTest, BadValuesGiveOneLineMessages) {
  EXPECT_EQ(ErrorOf("--leak-check=maybe"),
            "bad option value: --leak-check=maybe (expected no, summary or full)");
  EXPECT_EQ(ErrorOf("--redzone-size=5000"),
            "bad option value: --redzone-size=5000 (expected a byte count from 0 to 4096)");
  EXPECT_EQ(ErrorOf("--num-callers=0"),
            "bad option value: --num-callers=0 (expected a number from 1 to 500)");
  EXPECT_EQ(ErrorOf("--leak-check"), "option --leak-check needs a value (--leak-check=...)");
  for (const char* a :
       {"--freelist-vol=-1", "--freelist-vol=12k", "--redzone-size=", "--error-exitcode=256",
        "--error-exitcode=x", "--xml=true", "--show-leak-kinds=definite,lost",
        "--show-leak-kinds=", "--log-file=", "--gen-suppressions=maybe", "--num-callers=501",
        "--leak-check-heuristics=newarray,cookies", "--leak-check-heuristics="}) {
    std::string e = ErrorOf(a);
    EXPECT_NE(e.find("bad option value"), std::string::npos) << a << ": " << e;
    EXPECT_EQ(e.find('\n'), std::string::npos) << a;
  }
  EXPECT_NE(ErrorOf("--gen-suppressions=yes").find("use --gen-suppressions=all"),
            std::string::npos);
}

TEST(MemcheckOptionsTest, FillsResolutionAndValgrindsOlderLeakOptions) {
  MemcheckOptions o = Parse({"--malloc-fill=0xAB", "--free-fill=7f", "--leak-resolution=low",
                             "--show-mismatched-frees=no"});
  EXPECT_EQ(o.malloc_fill, std::optional<uint8_t>(0xab));
  EXPECT_EQ(o.free_fill, std::optional<uint8_t>(0x7f));
  EXPECT_EQ(o.leak_resolution, LeakResolution::Low);
  EXPECT_FALSE(o.show_mismatched_frees);
  EXPECT_EQ(Parse({"--leak-resolution=med"}).leak_resolution, LeakResolution::Med);
  EXPECT_TRUE(Parse({"--exit-on-first-error=yes"}).exit_on_first_error);
  EXPECT_EQ(Parse({}).keep_stacktraces, KeepStacktraces::AllocAndFree);
  EXPECT_EQ(Parse({"--keep-stacktraces=alloc-then-free"}).keep_stacktraces,
            KeepStacktraces::AllocThenFree);
  EXPECT_EQ(Parse({"--keep-stacktraces=none"}).keep_stacktraces, KeepStacktraces::None);
  EXPECT_EQ(Parse({}).freelist_big_blocks, 1'000'000u);
  // Valgrind's core options a command line written for it may carry.
  EXPECT_TRUE(Parse({"-v"}).show_error_list);  // verbosity 2 lists the errors at exit ...
  EXPECT_FALSE(Parse({"--show-error-list=no", "--verbose"}).show_error_list);  // ... unless told
  EXPECT_FALSE(Parse({"-v", "--show-error-list=no"}).show_error_list);
  EXPECT_EQ(Parse({"-v", "-v"}).verbosity, 3);
  Parse({"--tool=memcheck", "--trace-children=yes", "--child-silent-after-fork=no"});
  EXPECT_EQ(ErrorOf("--tool=helgrind"),
            "--tool=helgrind: wasmgrind's one tool is memcheck (--tool=memcheck, or --memcheck)");
  EXPECT_NE(ErrorOf("--trace-children=maybe").find("bad option value"), std::string::npos);
  EXPECT_EQ(Parse({"--fullpath-after=", "--fullpath-after=src/"}).fullpath_after,
            (std::vector<std::string>{"", "src/"}));
  EXPECT_EQ(Parse({"--log-fd=9"}).log_fd, std::optional<int>(9));
  EXPECT_TRUE(Parse({"--log-fd=9", "--log-file=a"}).log_fd == std::nullopt);  // the last counts
  EXPECT_EQ(Parse({"--log-file=a", "--log-fd=9"}).log_file, "");
  EXPECT_NE(ErrorOf("--xml-fd=-1").find("bad option value"), std::string::npos);
  EXPECT_TRUE(ValidateMemcheckOptions(Parse({"--xml=yes", "--xml-fd=9"})).ok());
  EXPECT_FALSE(ValidateMemcheckOptions(Parse({"--xml-fd=9"})).ok());
  EXPECT_EQ(Parse({"--error-markers=<<,>>"}).error_markers,
            (std::array<std::string, 2>{"<<", ">>"}));
  EXPECT_EQ(Parse({"--error-markers=BEGIN"}).error_markers,
            (std::array<std::string, 2>{"BEGIN", ""}));
  EXPECT_FALSE(Parse({}).show_below_main);
  EXPECT_TRUE(Parse({"--show-below-main=yes"}).show_below_main);
  // Valgrind's defaults: names demangled, no time stamps, partial loads allowed.
  EXPECT_TRUE(Parse({}).demangle);
  EXPECT_FALSE(Parse({"--demangle=no"}).demangle);
  EXPECT_FALSE(Parse({}).time_stamp);
  EXPECT_TRUE(Parse({"--time-stamp=yes"}).time_stamp);
  EXPECT_TRUE(Parse({}).partial_loads_ok);
  EXPECT_FALSE(Parse({"--partial-loads-ok=no"}).partial_loads_ok);
  EXPECT_EQ(ErrorOf("--partial-loads-ok=maybe"),
            "bad option value: --partial-loads-ok=maybe (expected yes or no)");
  EXPECT_EQ(Parse({}).alignment, 16u);
  EXPECT_EQ(Parse({"--alignment=4096"}).alignment, 4096u);
  for (const char* a : {"--alignment=8", "--alignment=48", "--alignment=8192", "--alignment=x"}) {
    EXPECT_EQ(ErrorOf(a).find("bad option value: --alignment="), 0u) << a;
  }
  EXPECT_TRUE(Parse({}).default_suppressions);
  EXPECT_FALSE(Parse({"--default-suppressions=no"}).default_suppressions);
  // Valgrind's options about its own machinery: accepted with the values Valgrind accepts.
  for (const char* a : {"--vgdb=no", "--vgdb=full", "--expensive-definedness-checks=auto",
                        "--smc-check=all-non-file", "--max-stackframe=4000000"}) {
    MemcheckOptions o;
    Expected<bool> applied = ApplyMemcheckOption(o, a);
    EXPECT_TRUE(applied.ok() && applied.value()) << a;
  }
  EXPECT_EQ(ErrorOf("--vgdb=maybe"), "bad option value: --vgdb=maybe (expected no, yes or full)");
  for (const char* a : {"--run-libc-freeres=no", "--run-cxx-freeres=yes", "--fair-sched=try",
                        "--max-threads=100", "--trace-children-skip=*/sh", "--vgdb-poll=5000",
                        "--sigill-diagnostics=no", "--show-emwarns=no"}) {
    MemcheckOptions o;
    Expected<bool> applied = ApplyMemcheckOption(o, a);
    EXPECT_TRUE(applied.ok() && applied.value()) << a;
  }
  EXPECT_EQ(ErrorOf("--fair-sched=always").find("bad option value"), 0u);
  // Valgrind's options wasmgrind does not offer say why, not just "unknown".
  EXPECT_EQ(ErrorOf("--vgdb-error=0"),
            "--vgdb-error (Valgrind's) is not supported: wasmgrind has no gdbserver for gdb to "
            "attach to");
  EXPECT_EQ(ErrorOf("--main-stacksize=8000000")
                .find("--main-stacksize (Valgrind's) is not "
                      "supported: a wasm program's C stack size"),
            0u);
  EXPECT_EQ(ErrorOf("--xtree-leak=yes").find("--xtree-leak (Valgrind's) is not supported"), 0u);
  EXPECT_EQ(Parse({"--xml-user-comment=<a>b</a>"}).xml_user_comment, "<a>b</a>");
  EXPECT_FALSE(Parse({}).trace_malloc);
  EXPECT_TRUE(Parse({"--trace-malloc=yes"}).trace_malloc);
  EXPECT_TRUE(Parse({}).read_inline_info);
  EXPECT_FALSE(Parse({"--read-inline-info=no"}).read_inline_info);
  for (const char* a :
       {"--expensive-definedness-checks=1", "--smc-check=some", "--max-stackframe=big"}) {
    EXPECT_EQ(ErrorOf(a).find("bad option value"), 0u) << a;
  }
  EXPECT_EQ(Parse({"--freelist-big-blocks=0"}).freelist_big_blocks, 0u);
  EXPECT_NE(ErrorOf("--freelist-big-blocks=1M").find("bad option value"), std::string::npos);
  EXPECT_EQ(ErrorOf("--keep-stacktraces=both"),
            "bad option value: --keep-stacktraces=both (expected alloc, free, alloc-and-free, "
            "alloc-then-free or none)");
  EXPECT_FALSE(Parse({}).malloc_fill.has_value());
  // Valgrind's: yes shows every kind, no drops reachable; possibly-lost adds or drops possible.
  EXPECT_EQ(LeakKindSetWords(Parse({"--show-reachable=yes"}).show_leak_kinds),
            "definite,indirect,possible,reachable");
  EXPECT_EQ(
      LeakKindSetWords(Parse({"--show-leak-kinds=all", "--show-reachable=no"}).show_leak_kinds),
      "definite,indirect,possible");
  EXPECT_EQ(LeakKindSetWords(Parse({"--show-possibly-lost=no"}).show_leak_kinds), "definite");
  for (const char* a : {"--malloc-fill=0x100", "--malloc-fill=zz",
                        "--free-fill=", "--leak-resolution=medium", "--show-reachable=maybe"}) {
    EXPECT_NE(ErrorOf(a).find("bad option value"), std::string::npos) << a;
  }
}

TEST(MemcheckOptionsTest, CrossChecks) {
  MemcheckOptions o = Parse({"--xml=yes"});
  auto r = ValidateMemcheckOptions(o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("--xml-file"), std::string::npos);
  EXPECT_FALSE(ValidateMemcheckOptions(Parse({"--xml-file=a.xml"})).ok());
  EXPECT_FALSE(
      ValidateMemcheckOptions(Parse({"--track-origins=yes", "--undef-value-errors=no"})).ok());
}

TEST(MemcheckOptionsTest, HelpListsEveryOption) {
  std::string all;
  for (const OptionHelp& h : MemcheckOptionHelp()) all += std::string(h.syntax) + "\n";
  for (const char* name : {"--leak-check",
                           "--show-leak-kinds",
                           "--errors-for-leak-kinds",
                           "--redzone-size",
                           "--freelist-vol",
                           "--num-callers",
                           "--error-exitcode",
                           "--log-file",
                           "--xml=",
                           "--xml-file",
                           "--suppressions",
                           "--gen-suppressions",
                           "-q",
                           "--track-origins",
                           "--error-limit",
                           "--undef-value-errors",
                           "--leak-resolution",
                           "--show-reachable",
                           "--show-possibly-lost",
                           "--show-mismatched-frees",
                           "--malloc-fill",
                           "--free-fill",
                           "--exit-on-first-error",
                           "--keep-stacktraces",
                           "--freelist-big-blocks",
                           "--show-below-main",
                           "--tool=memcheck",
                           "--verbose",
                           "--trace-children",
                           "--child-silent-after-fork",
                           "--fullpath-after",
                           "--log-fd",
                           "--xml-fd",
                           "--error-markers",
                           "--demangle",
                           "--time-stamp",
                           "--partial-loads-ok",
                           "--alignment",
                           "--default-suppressions",
                           "--vgdb",
                           "--expensive-definedness-checks",
                           "--smc-check",
                           "--max-stackframe",
                           "--xml-user-comment",
                           "--read-inline-info",
                           "--run-libc-freeres",
                           "--trace-malloc",
                           "--track-fds"}) {
    EXPECT_NE(all.find(name), std::string::npos) << name;
  }
}

// --track-fds, Valgrind's core option: no (the default), yes, all; anything else is refused
// naming the three, as Valgrind's "should be 'yes', 'all' or 'no'".
TEST(MemcheckOptionsTest, TrackFds) {
  EXPECT_EQ(Parse({}).track_fds, TrackFds::No);
  EXPECT_EQ(Parse({"--track-fds=yes"}).track_fds, TrackFds::Yes);
  EXPECT_EQ(Parse({"--track-fds=all"}).track_fds, TrackFds::All);
  EXPECT_EQ(Parse({"--track-fds=all", "--track-fds=no"}).track_fds, TrackFds::No);
  EXPECT_EQ(ErrorOf("--track-fds=maybe"),
            "bad option value: --track-fds=maybe (expected no, yes or all)");
  EXPECT_EQ(ErrorOf("--track-fds"), "option --track-fds needs a value (--track-fds=...)");
}

}  // namespace
}  // namespace wasmgrind::memcheck
