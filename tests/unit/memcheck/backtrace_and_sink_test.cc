// Backtrace interning (--num-callers at capture), and the report sinks (%p in file names).
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "memcheck/backtrace.h"
#include "memcheck/report_sink.h"

namespace wasmgrind::memcheck {
namespace {

TEST(BacktraceStoreTest, EqualStacksShareAnId) {
  BacktraceStore store;
  BacktraceId a = store.Intern({{1, 10}, {2, 20}});
  BacktraceId b = store.Intern({{1, 10}, {2, 20}});
  BacktraceId c = store.Intern({{1, 10}, {2, 21}});
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(a, kNoBacktrace);
  EXPECT_EQ(store.size(), 2u);
  EXPECT_EQ(store.Get(c)[1].offset, 21u);
  EXPECT_EQ(store.Intern(Backtrace{}), kNoBacktrace);
  EXPECT_TRUE(store.Get(kNoBacktrace).empty());
}

TEST(BacktraceStoreTest, KeepsAtMostMaxFrames) {
  BacktraceStore store;
  store.set_max_frames(2);
  BacktraceId a = store.Intern({{1, 1}, {2, 2}, {3, 3}});
  BacktraceId b = store.Intern({{1, 1}, {2, 2}, {4, 4}});
  EXPECT_EQ(a, b);  // equal in what is kept
  EXPECT_EQ(store.Get(a).size(), 2u);
}

std::vector<std::string> Names(const std::vector<SymbolizedFrame>& frames) {
  std::vector<std::string> out;
  for (const SymbolizedFrame& f : frames) out.push_back(f.function);
  return out;
}

std::vector<SymbolizedFrame> Stack(std::initializer_list<const char*> names) {
  std::vector<SymbolizedFrame> frames;
  for (const char* n : names) {
    SymbolizedFrame f;
    f.function = n;
    f.linkage_name = n;
    frames.push_back(f);
  }
  return frames;
}

// Valgrind's --show-below-main=no on wasi-libc's startup: _start (and wasm-ld's export
// wrapper) is "(below main)"; a stack ends at main, or, without main (a constructor's), at
// the innermost below-main frame.
TEST(BelowMainTest, StacksEndAtMainElseAtTheStartupCode) {
  std::vector<SymbolizedFrame> frames =
      Stack({"f", "main", "__main_void", "__original_main", "_start", "_start.command_export"});
  RenameBelowMain(frames);
  EXPECT_EQ(frames[4].function, kBelowMain);
  EXPECT_EQ(frames[4].linkage_name, "");  // a suppression names it "(below main)" too
  EXPECT_EQ(frames[5].function, kBelowMain);
  CutBelowMain(frames);
  EXPECT_EQ(Names(frames), (std::vector<std::string>{"f", "main"}));

  frames = Stack({"init", "__wasm_call_ctors", "_start", "_start.command_export"});
  RenameBelowMain(frames);
  CutBelowMain(frames);
  EXPECT_EQ(Names(frames), (std::vector<std::string>{"init", "__wasm_call_ctors", kBelowMain}));

  frames = Stack({"exported", "caller"});  // --invoke: neither
  RenameBelowMain(frames);
  CutBelowMain(frames);
  EXPECT_EQ(Names(frames), (std::vector<std::string>{"exported", "caller"}));
}

TEST(ExpandLogFileNameTest, PidAndPercent) {
  EXPECT_EQ(ExpandLogFileName("vg.%p.log", 123).value(), "vg.123.log");
  EXPECT_EQ(ExpandLogFileName("100%%-%p", 9).value(), "100%-9");
  EXPECT_EQ(ExpandLogFileName("plain", 9).value(), "plain");
  auto bad = ExpandLogFileName("vg.%q", 1);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("'%' must be followed by 'p'"), std::string::npos);
  EXPECT_FALSE(ExpandLogFileName("vg%", 1).ok());
}

TEST(FdSinkTest, OpensTruncatesAndWrites) {
  std::string dir = ::testing::TempDir();
  std::string pattern = dir + "/memcheck-sink-%p.log";
  std::string path = dir + "/memcheck-sink-" + std::to_string(getpid()) + ".log";
  {
    std::ofstream(path) << "old contents that must go\n";
    auto sink = FdSink::Open(pattern, getpid());
    ASSERT_TRUE(sink.ok()) << sink.error();
    sink.value()->Write("==1== hello\n");
  }
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  EXPECT_EQ(s.str(), "==1== hello\n");
  unlink(path.c_str());
}

TEST(FdSinkTest, UnwritablePathIsAnError) {
  auto sink = FdSink::Open("/nonexistent-dir/x.log", 1);
  ASSERT_FALSE(sink.ok());
  EXPECT_NE(sink.error().find("cannot create /nonexistent-dir/x.log"), std::string::npos);
}

}  // namespace
}  // namespace wasmgrind::memcheck
