// ErrorManager: one report per context, counts, suppressions and their counts, leak records
// by --leak-check / --show-leak-kinds / --errors-for-leak-kinds, -q, and the exit status.
#include "memcheck/error_manager.h"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "error_manager_fixture.h"

namespace wasmgrind::memcheck {
namespace {

using namespace testing;

class ErrorManagerTest : public ErrorManagerFixture {
 protected:
  MemcheckError Write4(uint32_t line, uint32_t caller_line = 20) {
    MemcheckError e;
    e.kind = ErrorKind::InvalidWrite;
    e.what = "Invalid write of size 4";
    e.access_size = 4;
    e.stack = backtraces_.Intern({{kHelper, Line(line)}, {kMain, Line(caller_line)}});
    e.aux.push_back({"Address 0x10 is not stack'd, malloc'd or (recently) free'd", kNoBacktrace});
    return e;
  }
  size_t Count(const std::string& needle) const {
    size_t n = 0;
    for (size_t at = sink_.text().find(needle); at != std::string::npos;
         at = sink_.text().find(needle, at + 1)) {
      ++n;
    }
    return n;
  }
  // A leak result with one record of each kind (definite 10, indirect 20, possible 30,
  // reachable 40 bytes), from sites 1..4.
  LeakResult FourLeaks() {
    LeakResult r;
    LeakKind kinds[] = {LeakKind::Definite, LeakKind::Indirect, LeakKind::Possible,
                        LeakKind::Reachable};
    for (int i = 0; i < 4; ++i) {
      LossRecord rec;
      rec.kind = kinds[i];
      rec.alloc_site = backtraces_.Intern({{kMalloc, 0x200}, {kMain, Line(30 + i)}});
      rec.bytes = uint64_t{10} * (i + 1);
      rec.blocks = 1;
      r.records.push_back(rec);
      r.totals[static_cast<int>(kinds[i])] = {rec.bytes, 1};
    }
    return r;
  }
};

TEST_F(ErrorManagerTest, SameContextIsReportedOnceAndCounted) {
  Start();
  EXPECT_EQ(manager_->Report(Write4(5)), ErrorFate::Reported);
  EXPECT_EQ(manager_->Report(Write4(5)), ErrorFate::Repeated);
  EXPECT_EQ(manager_->Report(Write4(6)), ErrorFate::Reported);  // another line: another context
  EXPECT_EQ(Count("Invalid write of size 4"), 2u);
  EXPECT_EQ(manager_->counts().errors, 3u);
  EXPECT_EQ(manager_->counts().contexts, 2u);
  manager_->Finish(nullptr, nullptr);
  EXPECT_NE(
      sink_.text().find("==7== ERROR SUMMARY: 3 errors from 2 contexts (suppressed: 0 from 0)\n"),
      std::string::npos);
}

TEST_F(ErrorManagerTest, ContextIsTheInnermostFourFrames) {
  Start();
  MemcheckError a = Write4(5);
  a.stack = backtraces_.Intern(
      {{kHelper, 1}, {kHelper, 2}, {kHelper, 3}, {kHelper, 4}, {kMain, Line(10)}});
  MemcheckError b = a;
  b.stack = backtraces_.Intern(
      {{kHelper, 1}, {kHelper, 2}, {kHelper, 3}, {kHelper, 4}, {kMain, Line(11)}});
  manager_->Report(a);
  EXPECT_EQ(manager_->Report(b), ErrorFate::Repeated);
  MemcheckError read = a;
  read.kind = ErrorKind::InvalidRead;
  read.what = "Invalid read of size 4";
  EXPECT_EQ(manager_->Report(read), ErrorFate::Reported);
}

TEST_F(ErrorManagerTest, TextErrorShape) {
  Start();
  manager_->Report(Write4(5));
  EXPECT_EQ(sink_.text(),
            "==7== Invalid write of size 4\n"
            "==7==    at 0x50: helper(int) (bug.c:5)\n"
            "==7==    by 0x140: main (bug.c:20)\n"
            "==7==  Address 0x10 is not stack'd, malloc'd or (recently) free'd\n"
            "==7== \n");
}

TEST_F(ErrorManagerTest, InlinedFramesAndUnknownFramesArePrinted) {
  options_.show_below_main = true;  // the unknown frame is main's caller
  Start();
  MemcheckError e = Write4(5);
  e.stack = backtraces_.Intern({{kInlined, Line(9)}, {99, 0x1234}});
  manager_->Report(e);
  EXPECT_NE(sink_.text().find("==7==    at 0x90: inlined_fn (bug.c:3)\n"
                              "==7==    by 0x90: main (bug.c:9)\n"
                              "==7==    by 0x1234: ???\n"),
            std::string::npos)
      << sink_.text();
}

// --error-markers, as valgrind 3.19 prints them: BEGIN before each error, END after its blank
// line and before a generated suppression; also in -s's list at exit.
TEST_F(ErrorManagerTest, ErrorMarkersFrameEachError) {
  options_.gen_suppressions = GenSuppressions::All;
  options_.show_error_list = true;
  TextLayout layout;
  layout.show_error_list = true;
  layout.error_markers = {"BEGIN", "END"};
  writer_ = MakeTextWriter(sink_, 7, layout);
  manager_ = std::make_unique<ErrorManager>(options_, backtraces_, symbolizer_, *writer_,
                                            std::vector<Suppression>{});
  manager_->Begin(RunInfo{7, 0, "t", {"wasmgrind"}, {"p.wasm"}});
  manager_->Report(Write4(5));
  manager_->Finish(nullptr, nullptr);
  const std::string text = sink_.text();
  EXPECT_NE(text.find("==7== BEGIN\n==7== Invalid write of size 4\n"), std::string::npos) << text;
  EXPECT_NE(text.find("==7== \n==7== END\n{\n"), std::string::npos) << text;
  const size_t list = text.find("1 errors in context 1 of 1:");
  ASSERT_NE(list, std::string::npos) << text;
  EXPECT_NE(text.find("==7== BEGIN\n==7== Invalid write", list), std::string::npos) << text;
}

// --show-below-main=no (the default), as Valgrind's: a shown stack, and the suppression made
// from it, end at main.
TEST_F(ErrorManagerTest, StacksEndAtMain) {
  options_.gen_suppressions = GenSuppressions::All;
  Start();
  MemcheckError e = Write4(5);
  e.stack = backtraces_.Intern({{kHelper, Line(5)}, {kMain, Line(20)}, {99, 0x1234}});
  manager_->Report(e);
  const std::string text = sink_.text();
  EXPECT_NE(text.find("==7==    by 0x140: main (bug.c:20)\n"
                      "==7==  Address 0x10"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("0x1234"), std::string::npos) << text;
  EXPECT_NE(text.find("   fun:main\n}"), std::string::npos) << text;
}

// --demangle=no: names as the module spells them; a generated suppression names frames by
// them either way, as Valgrind's does.
TEST_F(ErrorManagerTest, DemangleNoShowsLinkageNames) {
  options_.demangle = false;
  options_.gen_suppressions = GenSuppressions::All;
  Start();
  manager_->Report(Write4(5));
  const std::string text = sink_.text();
  EXPECT_NE(text.find("==7==    at 0x50: _Z6helperi (bug.c:5)\n"
                      "==7==    by 0x140: main (bug.c:20)\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("helper(int)"), std::string::npos) << text;
  EXPECT_NE(text.find("   fun:_Z6helperi\n   fun:main\n}"), std::string::npos) << text;
}

// --time-stamp=yes, as valgrind 3.19 writes it: "==DD:HH:MM:SS.mmm PID== " on every line in
// the report's prefix (also the debug lines' "--" one), none on a generated suppression.
TEST_F(ErrorManagerTest, TimeStampOnEveryPrefixedLine) {
  options_.gen_suppressions = GenSuppressions::All;
  options_.show_error_list = true;
  auto supps = ParseSuppressions("{\n s1\n Memcheck:Addr4\n fun:helper*\n src:bug.c:21\n}\n", "t");
  ASSERT_TRUE(supps.ok());
  TextLayout layout;
  layout.show_error_list = true;
  layout.time_stamp = true;
  writer_ = MakeTextWriter(sink_, 7, layout);
  manager_ = std::make_unique<ErrorManager>(options_, backtraces_, symbolizer_, *writer_,
                                            std::move(supps).value());
  manager_->Begin(RunInfo{7, 0, "t", {"wasmgrind"}, {"p.wasm"}});
  manager_->Report(Write4(5));
  manager_->Report(Write4(5, 21));  // suppressed: listed with -s
  manager_->Finish(nullptr, nullptr);
  const std::regex stamped(R"((==|--)\d\d:\d\d:\d\d:\d\d\.\d\d\d 7(==|--) .*)");
  std::istringstream lines(sink_.text());
  size_t stamped_lines = 0, in_suppression = 0;
  bool suppression = false;
  for (std::string line; std::getline(lines, line);) {
    if (line == "{") suppression = true;
    if (suppression) {
      ++in_suppression;
      EXPECT_EQ(line.find("=="), std::string::npos) << line;
    } else {
      EXPECT_TRUE(std::regex_match(line + " ", stamped)) << line;
      ++stamped_lines;
    }
    if (line == "}") suppression = false;
  }
  EXPECT_EQ(in_suppression, 6u) << sink_.text();
  EXPECT_GT(stamped_lines, 10u) << sink_.text();
  EXPECT_NE(sink_.text().find(" 7== Invalid write of size 4\n"), std::string::npos);
  EXPECT_NE(sink_.text().find(" 7-- used_suppression:      1 s1 t:2\n"), std::string::npos)
      << sink_.text();
}

TEST_F(ErrorManagerTest, NumCallersLimitsSourceFrames) {
  options_.num_callers = 2;
  Start();
  MemcheckError e = Write4(5);
  e.stack = backtraces_.Intern({{kInlined, Line(9)}, {kMain, Line(20)}});
  manager_->Report(e);
  EXPECT_EQ(Count("   at "), 1u);
  EXPECT_EQ(Count("   by "), 1u);  // inlined_fn, main; the outer main is cut
}

TEST_F(ErrorManagerTest, SuppressedErrorsAreCountedNotPrinted) {
  auto supps = ParseSuppressions("{\n s1\n Memcheck:Addr4\n fun:helper*\n fun:main\n}\n", "t");
  ASSERT_TRUE(supps.ok());
  Start(supps.value());
  EXPECT_EQ(manager_->Report(Write4(5)), ErrorFate::Suppressed);
  EXPECT_EQ(manager_->Report(Write4(5)), ErrorFate::Suppressed);
  EXPECT_EQ(manager_->Report(Write4(6)), ErrorFate::Suppressed);
  EXPECT_EQ(sink_.text(), "");
  EXPECT_EQ(manager_->counts().errors, 0u);
  EXPECT_EQ(manager_->counts().suppressed_errors, 3u);
  EXPECT_EQ(manager_->counts().suppressed_contexts, 1u);  // one suppression was used
  manager_->Finish(nullptr, nullptr);
  EXPECT_NE(sink_.text().find("ERROR SUMMARY: 0 errors from 0 contexts (suppressed: 3 from 1)"),
            std::string::npos);
  EXPECT_EQ(manager_->ExitStatus(0), 0);
}

TEST_F(ErrorManagerTest, GenSuppressionsFollowsEachNewError) {
  options_.gen_suppressions = GenSuppressions::All;
  Start();
  manager_->Report(Write4(5));
  manager_->Report(Write4(5));
  EXPECT_EQ(Count("{\n   <insert_a_suppression_name_here>\n   Memcheck:Addr4\n   "
                  "fun:_Z6helperi\n   fun:main\n}\n"),
            1u)
      << sink_.text();
}

TEST_F(ErrorManagerTest, ErrorExitcodeOnlyWhenErrorsWereReported) {
  options_.error_exitcode = 42;
  Start();
  EXPECT_EQ(manager_->ExitStatus(3), 3);
  manager_->Report(Write4(5));
  EXPECT_EQ(manager_->ExitStatus(0), 42);
  EXPECT_EQ(manager_->ExitStatus(134), 42);  // also when the program then trapped
  options_.error_exitcode = 0;
  EXPECT_EQ(manager_->ExitStatus(134), 134);
}

TEST_F(ErrorManagerTest, HeapAndLeakSummariesInSummaryMode) {
  Start();
  HeapStats stats;
  stats.allocs = 1234;
  stats.frees = 1230;
  stats.bytes_allocated = 1234567;
  stats.live_blocks = 4;
  stats.live_bytes = 100;
  LeakResult leaks = FourLeaks();
  manager_->Finish(&stats, &leaks);
  EXPECT_EQ(sink_.text(),
            "==7== \n"
            "==7== HEAP SUMMARY:\n"
            "==7==     in use at exit: 100 bytes in 4 blocks\n"
            "==7==   total heap usage: 1,234 allocs, 1,230 frees, 1,234,567 bytes allocated\n"
            "==7== \n"
            "==7== LEAK SUMMARY:\n"
            "==7==    definitely lost: 10 bytes in 1 blocks\n"
            "==7==    indirectly lost: 20 bytes in 1 blocks\n"
            "==7==      possibly lost: 30 bytes in 1 blocks\n"
            "==7==    still reachable: 40 bytes in 1 blocks\n"
            "==7==         suppressed: 0 bytes in 0 blocks\n"
            "==7== Rerun with --leak-check=full to see details of leaked memory\n"
            "==7== \n"
            "==7== ERROR SUMMARY: 0 errors from 0 contexts (suppressed: 0 from 0)\n");
}

TEST_F(ErrorManagerTest, FullLeakCheckShowsAndCountsByKind) {
  options_.leak_check = LeakCheck::Full;  // show and errors-for: definite,possible
  Start();
  LeakResult leaks = FourLeaks();
  manager_->Finish(nullptr, &leaks);
  EXPECT_NE(sink_.text().find("10 bytes in 1 blocks are definitely lost in loss record 1 of 4"),
            std::string::npos);
  EXPECT_NE(sink_.text().find("30 bytes in 1 blocks are possibly lost in loss record 3 of 4"),
            std::string::npos);
  EXPECT_EQ(Count("indirectly lost in loss record"), 0u);
  EXPECT_EQ(Count("still reachable in loss record"), 0u);
  EXPECT_NE(sink_.text().find("Reachable blocks (those to which a pointer was found) are not "
                              "shown.\n==7== To see them, rerun with: --leak-check=full "
                              "--show-leak-kinds=all\n"),
            std::string::npos);
  EXPECT_EQ(manager_->counts().errors, 2u);
  EXPECT_EQ(manager_->counts().contexts, 2u);
}

TEST_F(ErrorManagerTest, ErrorsForLeakKindsIsIndependentOfShowing) {
  options_.leak_check = LeakCheck::Full;
  options_.show_leak_kinds = LeakKindSet::All();
  options_.errors_for_leak_kinds = LeakKindSet::Of({LeakKind::Reachable});
  Start();
  LeakResult leaks = FourLeaks();
  manager_->Finish(nullptr, &leaks);
  EXPECT_EQ(Count("in loss record"), 4u);
  EXPECT_EQ(manager_->counts().errors, 1u);
}

TEST_F(ErrorManagerTest, LeakSuppressionsMoveBytesToSuppressed) {
  auto supps = ParseSuppressions(
      "{\n leak30\n Memcheck:Leak\n match-leak-kinds: possible\n fun:malloc\n fun:main\n}\n", "t");
  options_.leak_check = LeakCheck::Full;
  Start(supps.value());
  LeakResult leaks = FourLeaks();
  manager_->Finish(nullptr, &leaks);
  EXPECT_NE(sink_.text().find("possibly lost: 0 bytes in 0 blocks"), std::string::npos);
  EXPECT_NE(sink_.text().find("suppressed: 30 bytes in 1 blocks"), std::string::npos);
  EXPECT_EQ(manager_->counts().errors, 1u);  // the definite one only
  EXPECT_EQ(manager_->counts().suppressed_errors, 1u);
}

TEST_F(ErrorManagerTest, NoLeaksAtAll) {
  Start();
  HeapStats stats;
  LeakResult none;
  manager_->Finish(&stats, &none);
  EXPECT_NE(sink_.text().find("All heap blocks were freed -- no leaks are possible"),
            std::string::npos);
  EXPECT_EQ(Count("LEAK SUMMARY"), 0u);
}

TEST_F(ErrorManagerTest, LeakCheckNoSkipsTheScanResults) {
  options_.leak_check = LeakCheck::No;
  Start();
  LeakResult leaks = FourLeaks();
  HeapStats stats;
  manager_->Finish(&stats, &leaks);
  EXPECT_EQ(Count("LEAK SUMMARY"), 0u);
  EXPECT_EQ(Count("HEAP SUMMARY"), 1u);
}

TEST_F(ErrorManagerTest, QuietPrintsErrorsOnly) {
  options_.quiet = true;
  options_.leak_check = LeakCheck::Full;
  Start();
  manager_->Begin(RunInfo{1, 0, "v", {"wasmgrind"}, {"prog.wasm"}});
  manager_->Report(Write4(5));
  HeapStats stats;
  stats.live_blocks = 4;
  LeakResult leaks = FourLeaks();
  manager_->Finish(&stats, &leaks);
  EXPECT_EQ(Count("Memcheck, a memory error detector"), 0u);
  EXPECT_EQ(Count("SUMMARY"), 0u);
  EXPECT_EQ(Count("Invalid write of size 4"), 1u);
  EXPECT_EQ(Count("definitely lost in loss record"), 1u);  // leak errors are errors
}

// -s, Valgrind's format: after the ERROR SUMMARY each context again under "N errors in
// context K of M" (the least frequent first, of equal counts the latest first; leaks, which
// count among the M contexts, are not repeated), the suppressions used, the summary again.
// Also under -q, as Valgrind prints them.
TEST_F(ErrorManagerTest, ShowErrorListRepeatsTheErrorsAtExit) {
  options_.quiet = true;
  options_.show_error_list = true;
  options_.leak_check = LeakCheck::Full;
  auto supps = ParseSuppressions("{\n s1\n Memcheck:Addr4\n fun:helper*\n src:bug.c:20\n}\n", "t");
  ASSERT_TRUE(supps.ok());
  Start(supps.value());
  manager_->Report(Write4(5, 21));  // 1
  manager_->Report(Write4(6, 21));  // 2
  manager_->Report(Write4(6, 21));
  manager_->Report(Write4(7, 21));  // 1, later than line 5's
  manager_->Report(Write4(8));      // main at line 20: the suppression's
  HeapStats stats;
  LeakResult leaks = FourLeaks();
  const size_t before_exit = sink_.text().size();
  manager_->Finish(&stats, &leaks);
  const std::string tail = sink_.text().substr(before_exit);
  const std::string summary =
      "==7== ERROR SUMMARY: 6 errors from 5 contexts (suppressed: 1 from 1)\n";
  const std::string context =
      "==7== Invalid write of size 4\n==7==    at 0x{}: helper(int) (bug.c:{})\n"
      "==7==    by 0x150: main (bug.c:21)\n"
      "==7==  Address 0x10 is not stack'd, malloc'd or (recently) free'd\n"
      "==7== \n";
  auto error_text = [&](uint32_t line) {
    std::string t = context;
    char hex[16];
    snprintf(hex, sizeof hex, "%X", Line(line));
    t.replace(t.find("{}"), 2, hex);
    t.replace(t.find("{}"), 2, std::to_string(line));
    return t;
  };
  const size_t list = tail.find(summary);
  ASSERT_NE(list, std::string::npos) << tail;
  EXPECT_EQ(tail.substr(list),
            summary + "==7== \n==7== 1 errors in context 1 of 5:\n" + error_text(7) +
                "==7== \n==7== 1 errors in context 2 of 5:\n" + error_text(5) +
                "==7== \n==7== 2 errors in context 3 of 5:\n" + error_text(6) +
                "--7-- \n--7-- used_suppression:      1 s1 t:2\n" + "==7== \n" + summary);
}

TEST_F(ErrorManagerTest, ShowErrorListWithoutErrorsOrSuppressionsIsTheSummary) {
  options_.show_error_list = true;
  Start();
  manager_->Finish(nullptr, nullptr);
  EXPECT_EQ(sink_.text(), "==7== ERROR SUMMARY: 0 errors from 0 contexts (suppressed: 0 from 0)\n");
}

TEST_F(ErrorManagerTest, BannerNamesTheCommand) {
  Start();
  manager_->Begin(RunInfo{1, 0, "wasmgrind 0.1", {"wasmgrind", "run"}, {"prog.wasm", "-x"}});
  EXPECT_EQ(sink_.text(),
            "==7== Memcheck, a memory error detector\n"
            "==7== wasmgrind's memcheck: Valgrind's checks and reports for WebAssembly\n"
            "==7== Using wasmgrind 0.1\n"
            "==7== Command: prog.wasm -x\n"
            "==7== \n");
}

TEST(LossRecordTextTest, DirectAndIndirect) {
  LossRecord r;
  r.kind = LeakKind::Definite;
  r.bytes = 8;
  r.indirect_bytes = 16;
  r.blocks = 1;
  EXPECT_EQ(LossRecordText(r, 4, 5),
            "24 (8 direct, 16 indirect) bytes in 1 blocks are definitely lost in loss record 4 "
            "of 5");
  r.indirect_bytes = 0;
  r.bytes = 1048576;
  r.blocks = 1000;
  r.kind = LeakKind::Reachable;
  EXPECT_EQ(LossRecordText(r, 1, 1),
            "1,048,576 bytes in 1,000 blocks are still reachable in loss record 1 of 1");
}

}  // namespace
}  // namespace wasmgrind::memcheck

namespace wasmgrind::memcheck {
namespace {

TEST_F(ErrorManagerTest, ExitOnFirstErrorEndsTheReportAndAsksForTheExit) {
  options_.exit_on_first_error = true;
  options_.error_exitcode = 7;
  Start();
  std::vector<int> exits;
  manager_->set_exit([&exits](int status) { exits.push_back(status); });
  manager_->Report(Write4(1));
  ASSERT_EQ(exits, std::vector<int>{7});
  EXPECT_NE(sink_.text().find("Invalid write of size 4"), std::string::npos);
  EXPECT_TRUE(sink_.text().ends_with(
      "==7== \n==7== Exit program on first error (--exit-on-first-error=yes)\n"))
      << sink_.text();
  EXPECT_EQ(manager_->counts().errors, 1u);
}

TEST_F(ErrorManagerTest, ErrorLimitStopsAfterAThousandContexts) {
  Start();
  for (uint32_t line = 1; line <= 1000; ++line) {
    ASSERT_EQ(manager_->Report(Write4(line)), ErrorFate::Reported);
  }
  EXPECT_EQ(manager_->Report(Write4(1001)), ErrorFate::Dropped);
  EXPECT_EQ(manager_->Report(Write4(1)), ErrorFate::Dropped);  // not even counted, as Valgrind
  EXPECT_EQ(manager_->counts().errors, 1000u);
  EXPECT_EQ(Count("More than 1000 different errors detected."), 1u);
  EXPECT_EQ(Count("Invalid write of size 4"), 1000u);
}

TEST_F(ErrorManagerTest, NoErrorLimit) {
  options_.error_limit = false;
  Start();
  for (uint32_t line = 1; line <= 1001; ++line) manager_->Report(Write4(line));
  EXPECT_EQ(manager_->counts().contexts, 1001u);
  EXPECT_EQ(Count("More than"), 0u);
}

}  // namespace
}  // namespace wasmgrind::memcheck

namespace wasmgrind::memcheck {
namespace {

TEST_F(ErrorManagerTest, HeuristicReachabilityIsBrokenDownInTheSummary) {
  Start();
  LeakResult leaks = FourLeaks();
  leaks.reachable_via[static_cast<int>(LeakHeuristic::NewArray)] = {28, 1};
  manager_->Finish(nullptr, &leaks);
  EXPECT_NE(sink_.text().find("==7==    still reachable: 40 bytes in 1 blocks\n"
                              "==7==                       of which reachable via heuristic:\n"
                              "==7==                         newarray           : 28 bytes in 1 "
                              "blocks\n"),
            std::string::npos)
      << sink_.text();
}

}  // namespace
}  // namespace wasmgrind::memcheck
