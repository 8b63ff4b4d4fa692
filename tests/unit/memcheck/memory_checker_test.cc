// MemoryChecker: the VM's events end to end (shadow state, reports, exit status), as the JIT's
// slow path, the allocator hooks, the stack-pointer check and the runtime's exit will drive it.
#include "memcheck/memory_checker.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "fake_symbolizer.h"

namespace wasmgrind::memcheck {
namespace {

using namespace testing;

class MemoryCheckerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = ::testing::TempDir() + "/memcheck-" + std::to_string(getpid()) + ".log";
  }
  void TearDown() override { unlink(log_.c_str()); }

  // Memory: 0..0x1000 data, stack 0x1000..0x11000 (sp starts at the top), heap from 0x11000.
  void Start(MemcheckOptions options = {}, bool with_heap = true) {
    options.log_file = log_;
    MemoryLayout layout;
    layout.memory_size = 0x20000;
    if (with_heap) layout.heap_base = 0x11000;
    layout.stack = AddressRange{0x1000, 0x11000};
    layout.initial_stack_pointer = 0x11000;
    auto checker = MemoryChecker::Create(options, layout, symbolizer_,
                                         RunInfo{getpid(), 1, "test", {"wasmgrind"}, {"p.wasm"}});
    ASSERT_TRUE(checker.ok()) << checker.error();
    checker_ = std::move(checker).value();
  }
  std::string Log() const { return ReadFile(log_); }
  uint32_t Malloc(uint32_t size, uint32_t raw, uint32_t line) {
    auto plan = checker_->PlanAllocation(size, 0);
    return checker_->OnAllocated(raw, *plan, size, AllocFamily::Malloc, false, At(line));
  }

  FakeSymbolizer symbolizer_;
  std::string log_;
  std::unique_ptr<MemoryChecker> checker_;
};

TEST_F(MemoryCheckerTest, MismatchedFreesCanGoUnreported) {
  MemcheckOptions options;
  options.show_mismatched_frees = false;
  Start(options);
  auto plan = checker_->PlanAllocation(8, 0);
  uint32_t p = checker_->OnAllocated(0x12000, *plan, 8, AllocFamily::New, false, At(1));
  EXPECT_EQ(checker_->OnFree(p, Deallocator::Free, At(2)).verdict, FreeVerdict::Mismatched);
  EXPECT_EQ(checker_->shadow().Get(p), ShadowState::HeapFreed);  // freed all the same
  EXPECT_EQ(checker_->OnFree(p, Deallocator::Free, At(3)).verdict, FreeVerdict::DoubleFree);
  EXPECT_EQ(checker_->errors().counts().errors, 1u) << Log();  // only the double free
}

// --leak-resolution: blocks whose allocation stacks agree in their first 2 (low) or 4 (med)
// frames share a loss record, shown with the first block's whole stack.
TEST_F(MemoryCheckerTest, LeakResolutionMergesRecordsOnTheirFirstFrames) {
  for (LeakResolution resolution : {LeakResolution::Low, LeakResolution::High}) {
    MemcheckOptions options;
    options.leak_check = LeakCheck::Full;
    options.leak_resolution = resolution;
    Start(options);
    auto plan = checker_->PlanAllocation(8, 0);
    // malloc, helper at one line, then main at two different lines.
    for (uint32_t line : {20u, 30u}) {
      checker_->OnAllocated(0x12000 + line * 64, *plan, 8, AllocFamily::Malloc, false, [line] {
        return Backtrace{{kMalloc, 0x200}, {kHelper, Line(10)}, {kMain, Line(line)}};
      });
    }
    std::vector<uint8_t> memory(0x20000);
    checker_->Finish(0, memory, LeakRoots{});
    const std::string log = Log();
    if (resolution == LeakResolution::Low) {
      EXPECT_NE(log.find("16 bytes in 2 blocks are definitely lost in loss record 1 of 1"),
                std::string::npos)
          << log;
      EXPECT_NE(log.find("main (bug.c:20)"), std::string::npos) << log;
      EXPECT_EQ(log.find("main (bug.c:30)"), std::string::npos) << log;
    } else {
      EXPECT_NE(log.find("8 bytes in 1 blocks are definitely lost in loss record 2 of 2"),
                std::string::npos)
          << log;
    }
    checker_.reset();
    unlink(log_.c_str());
  }
}

TEST_F(MemoryCheckerTest, LayoutPaintsHeapAndStack) {
  Start();
  const ShadowMemory& s = checker_->shadow();
  EXPECT_EQ(s.Get(0x800), ShadowState::Defined);  // data
  // The stack becomes BelowStackPointer only where frames were popped (the region may hide bss).
  EXPECT_EQ(s.Get(0x1000), ShadowState::Defined);
  EXPECT_EQ(s.Get(0x10fff), ShadowState::Defined);
  EXPECT_EQ(s.Get(0x11000), ShadowState::HeapUnallocated);
  EXPECT_EQ(s.Get(0x1ffff), ShadowState::HeapUnallocated);
  EXPECT_EQ(checker_->shadow_base(), s.base());
}

TEST_F(MemoryCheckerTest, StackFramesBecomeAddressableAndGoAway) {
  Start();
  checker_->OnStackPointerMove(0x10e00);  // two frames of 256 bytes ...
  checker_->OnStackPointerMove(0x10f00);  // ... and the inner one returned
  EXPECT_FALSE(checker_->CheckAccess(AccessKind::Write, 0x10f00, 4, At(3)));
  EXPECT_TRUE(checker_->CheckAccess(AccessKind::Write, 0x10efc, 4, At(4)));
  checker_->OnStackPointerMove(0x11000);  // returned
  EXPECT_TRUE(checker_->CheckAccess(AccessKind::Read, 0x10f00, 4, At(5)));
  checker_->OnStackPointerMove(0x500);  // overflow: clamped, reported by the stack check
  EXPECT_FALSE(checker_->CheckAccess(AccessKind::Read, 0x1000, 4, At(6)));
  EXPECT_EQ(checker_->shadow().Get(0x800), ShadowState::Defined);  // data untouched
  std::string log = Log();
  EXPECT_NE(log.find("Invalid write of size 4\n"), std::string::npos) << log;
  EXPECT_NE(log.find(" Address 0x10efc is on thread 1's stack\n"), std::string::npos) << log;
  EXPECT_NE(log.find(" 4 bytes below stack pointer\n"), std::string::npos) << log;
  EXPECT_NE(log.find(" 256 bytes below stack pointer\n"), std::string::npos) << log;
}

TEST_F(MemoryCheckerTest, LeafFramesDieWithTheirCallersFrame) {
  Start();
  checker_->OnStackPointerMove(0x10e00);  // a caller's frame; a callee came and went ...
  checker_->OnStackPointerMove(0x10d00);
  checker_->OnStackPointerMove(0x10e00);
  checker_->OnLeafFrame(0x10c80);  // ... then a leaf below the pointer, over the dead callee
  EXPECT_FALSE(checker_->CheckAccess(AccessKind::Write, 0x10c80, 4, At(3)));
  EXPECT_FALSE(checker_->CheckAccess(AccessKind::Write, 0x10dfc, 4, At(4)));
  checker_->OnStackPointerMove(0x10f00);  // the caller returned: the leaf's frame is dead too
  EXPECT_EQ(checker_->shadow().Get(0x10c80), ShadowState::BelowStackPointer);
  EXPECT_EQ(checker_->shadow().Get(0x10dff), ShadowState::BelowStackPointer);
  EXPECT_EQ(checker_->shadow().Get(0x10eff), ShadowState::BelowStackPointer);
  EXPECT_EQ(checker_->shadow().Get(0x10f00), ShadowState::Defined);
  checker_->OnStackPointerMove(0x10e80);  // a new frame is addressable, nothing below it
  EXPECT_EQ(checker_->shadow().Get(0x10e80), ShadowState::Defined);
  EXPECT_EQ(checker_->shadow().Get(0x10e7f), ShadowState::BelowStackPointer);
  EXPECT_EQ(checker_->errors().counts().contexts, 0u);
}

// --keep-stacktraces, as valgrind 3.19 printed a native use after free, double free, overflow
// and leak under each mode: a freed block shows its free stack, or Valgrind's unknown frame when
// that was not kept, then "Block was alloc'd at" only if it still has an allocation stack; a
// live block (and a leak) shows its allocation stack, or the unknown frame.
TEST_F(MemoryCheckerTest, KeepStacktracesDecidesWhichStacksBlocksShow) {
  struct Case {
    KeepStacktraces keep;
    // The lines after "Address ... free'd" (twice: the use after free, the double free),
    // after "alloc'd" (the overflow) and after the loss record's header.
    std::vector<std::string> freed, live, leak;
  };
  const std::string unknown = "at 0x0: ???";
  const std::string freed_at = "at 0x70: main (bug.c:7)";
  const std::vector<std::string> alloc_then = {"Block was alloc'd at", "at 0x50: main (bug.c:5)"};
  const Case cases[] = {
      {KeepStacktraces::AllocAndFree,
       {freed_at, alloc_then[0], alloc_then[1]},
       {"at 0xA0: main (bug.c:10)"},
       {"at 0xD0: main (bug.c:13)"}},
      {KeepStacktraces::Alloc,
       {unknown, alloc_then[0], alloc_then[1]},
       {"at 0xA0: main (bug.c:10)"},
       {"at 0xD0: main (bug.c:13)"}},
      {KeepStacktraces::Free, {freed_at, ""}, {unknown}, {unknown}},
      {KeepStacktraces::AllocThenFree,
       {freed_at, ""},
       {"at 0xA0: main (bug.c:10)"},
       {"at 0xD0: main (bug.c:13)"}},
      {KeepStacktraces::None, {unknown, ""}, {unknown}, {unknown}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(static_cast<int>(c.keep));
    MemcheckOptions options;
    options.keep_stacktraces = c.keep;
    options.leak_check = LeakCheck::Full;
    Start(options);
    const uint32_t p = Malloc(10, 0x11000, 5);
    checker_->OnFree(p, Deallocator::Free, At(7));
    EXPECT_TRUE(checker_->CheckAccess(AccessKind::Read, p + 3, 1, At(8)));
    EXPECT_EQ(checker_->OnFree(p, Deallocator::Free, At(9)).verdict, FreeVerdict::DoubleFree);
    const uint32_t q = Malloc(20, 0x12000, 10);
    EXPECT_TRUE(checker_->CheckAccess(AccessKind::Read, q + 20, 1, At(11)));
    Malloc(30, 0x13000, 13);
    checker_->OnFree(q, Deallocator::Free, At(14));
    std::vector<uint8_t> memory(0x20000);
    checker_->Finish(0, memory, LeakRoots{});
    // The log's lines without the "==PID== " prefix and the indentation.
    std::vector<std::string> lines;
    std::istringstream in(Log());
    for (std::string line; std::getline(in, line);) {
      const size_t text = line.find_first_not_of(' ', line.find("== ") + 3);
      lines.push_back(text == std::string::npos ? "" : line.substr(text));
    }
    auto after = [&](const std::string& header, size_t nth) {
      std::vector<std::string> out;
      for (size_t i = 0, seen = 0; i < lines.size(); ++i) {
        if (lines[i].find(header) == std::string::npos || seen++ != nth) continue;
        for (size_t j = i + 1; j < lines.size() && !lines[j].empty(); ++j) {
          out.push_back(lines[j]);
        }
        return out;
      }
      return out;
    };
    auto expect = [](std::vector<std::string> want) {
      if (!want.empty() && want.back().empty()) want.pop_back();  // "": nothing more
      return want;
    };
    EXPECT_EQ(after("is 3 bytes inside a block of size 10 free'd", 0), expect(c.freed)) << Log();
    EXPECT_EQ(after("is 0 bytes inside a block of size 10 free'd", 0), expect(c.freed)) << Log();
    EXPECT_EQ(after("is 0 bytes after a block of size 20 alloc'd", 0), expect(c.live)) << Log();
    EXPECT_EQ(after("definitely lost in loss record", 0), expect(c.leak)) << Log();
    EXPECT_EQ(checker_->errors().counts().contexts, 4u);
    checker_.reset();
    unlink(log_.c_str());
  }
}

// A stack that is not kept is not walked (the cost --keep-stacktraces saves), except to
// report the call itself.
TEST_F(MemoryCheckerTest, StacksNotKeptAreWalkedOnlyForReports) {
  struct Case {
    KeepStacktraces keep;
    int alloc_walks, free_walks;
  };
  for (const Case& c :
       {Case{KeepStacktraces::AllocAndFree, 1, 1}, Case{KeepStacktraces::Alloc, 1, 0},
        Case{KeepStacktraces::AllocThenFree, 1, 1}, Case{KeepStacktraces::Free, 0, 1},
        Case{KeepStacktraces::None, 0, 0}}) {
    const KeepStacktraces keep = c.keep;
    SCOPED_TRACE(static_cast<int>(keep));
    MemcheckOptions options;
    options.keep_stacktraces = keep;
    Start(options);
    int walks = 0;
    auto counted = [&walks](uint32_t line) {
      return CaptureBacktrace([&walks, line] {
        ++walks;
        return Backtrace{{kMain, Line(line)}};
      });
    };
    auto plan = checker_->PlanAllocation(8, 0);
    const uint32_t p =
        checker_->OnAllocated(0x11000, *plan, 8, AllocFamily::Malloc, false, counted(1));
    EXPECT_EQ(walks, c.alloc_walks);
    walks = 0;
    EXPECT_EQ(checker_->OnFree(p, Deallocator::Free, counted(2)).verdict, FreeVerdict::Freed);
    EXPECT_EQ(walks, c.free_walks);
    walks = 0;
    EXPECT_EQ(checker_->OnFree(p, Deallocator::Free, counted(3)).verdict, FreeVerdict::DoubleFree);
    EXPECT_EQ(walks, 1);  // the report's own stack
    EXPECT_NE(Log().find("main (bug.c:3)"), std::string::npos) << Log();
    checker_.reset();
    unlink(log_.c_str());
  }
}

// --fullpath-after, as Valgrind's text: the source's directory shown less its part up to the
// first given string found in it; empty shows it whole; one found nowhere, unmodified.
TEST_F(MemoryCheckerTest, FullpathAfterShowsSourceDirectories) {
  const std::pair<std::vector<std::string>, std::string> cases[] = {
      {{}, "(bug.c:5)"},
      {{""}, "(/work/bug.c:5)"},
      {{"/wo"}, "(rk/bug.c:5)"},
      {{"elsewhere", "/"}, "(work/bug.c:5)"},
      {{"elsewhere"}, "(/work/bug.c:5)"}};
  for (const auto& [after, shown] : cases) {
    MemcheckOptions options;
    options.fullpath_after = after;
    Start(options);
    const uint32_t p = Malloc(4, 0x11000, 5);
    EXPECT_TRUE(checker_->CheckAccess(AccessKind::Write, p + 4, 1, At(5)));
    EXPECT_NE(Log().find("   at 0x50: main " + shown + "\n"), std::string::npos) << shown << "\n"
                                                                                 << Log();
    checker_.reset();
    unlink(log_.c_str());
  }
}

TEST_F(MemoryCheckerTest, HeapBugsAreReportedAndTheRealFreeIsDeferred) {
  MemcheckOptions options;
  options.freelist_vol = 100;
  Start(options);
  uint32_t p = Malloc(10, 0x11000, 5);
  EXPECT_FALSE(checker_->CheckAccess(AccessKind::Write, p + 4, 4, At(6)));
  EXPECT_TRUE(checker_->CheckAccess(AccessKind::Write, p + 8, 4, At(7)));
  FreeOutcome freed = checker_->OnFree(p, Deallocator::Free, At(8));
  EXPECT_EQ(freed.verdict, FreeVerdict::Freed);
  EXPECT_TRUE(freed.release.empty());
  EXPECT_TRUE(checker_->CheckAccess(AccessKind::Read, p, 1, At(9)));
  EXPECT_EQ(checker_->OnFree(p, Deallocator::Delete, At(10)).verdict, FreeVerdict::DoubleFree);
  EXPECT_EQ(checker_->OnFree(0, Deallocator::Free, At(11)).verdict, FreeVerdict::NullPointer);
  uint32_t big = Malloc(200, 0x12000, 12);
  FreeOutcome out = checker_->OnFree(big, Deallocator::Free, At(13));
  // 42 + 232 raw bytes > 100: the block that fills the quarantine alone goes back at once and
  // p stays (Valgrind puts such a block at the front of the queue).
  ASSERT_EQ(out.release.size(), 1u);
  EXPECT_EQ(out.release[0].raw_begin, 0x12000u);
  EXPECT_EQ(out.release[0].raw_size, 232u);
  uint32_t next = Malloc(60, 0x13000, 14);
  out = checker_->OnFree(next, Deallocator::Free, At(15));
  ASSERT_EQ(out.release.size(), 1u);  // 42 + 92 > 100: now the oldest, p, goes
  EXPECT_EQ(out.release[0].raw_begin, 0x11000u);
  EXPECT_EQ(out.release[0].raw_size, 42u);
  EXPECT_EQ(checker_->errors().counts().contexts, 3u);
  std::string log = Log();
  EXPECT_NE(log.find("Address 0x11018 is 8 bytes inside a block of size 10 alloc'd"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("Address 0x11010 is 0 bytes inside a block of size 10 free'd"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("Invalid free() / delete / delete[] / realloc()"), std::string::npos);
}

TEST_F(MemoryCheckerTest, HostRangesReportTheirFirstBadByte) {
  Start();
  uint32_t p = Malloc(10, 0x11000, 5);
  EXPECT_FALSE(checker_->CheckRange(AccessKind::Read, p, 10, At(6)));
  EXPECT_TRUE(checker_->CheckRange(AccessKind::Read, p, 11, At(7)));  // strlen past the end
  EXPECT_NE(Log().find("Invalid read of size 1\n"), std::string::npos);
  EXPECT_NE(Log().find("Address 0x1101a is 0 bytes after a block of size 10 alloc'd"),
            std::string::npos)
      << Log();
}

TEST_F(MemoryCheckerTest, OutOfBoundsIsAnInvalidAccess) {
  Start();
  EXPECT_TRUE(checker_->CheckAccess(AccessKind::Write, 0x7ffffff0, 8, At(5)));
  EXPECT_NE(Log().find("Address 0x7ffffff0 is outside linear memory of size 0x20000"),
            std::string::npos);
}

TEST_F(MemoryCheckerTest, GrowthByTheAllocatorIsHeapOtherwiseAddressable) {
  Start();
  ASSERT_TRUE(checker_->OnMemoryGrow(0x30000, true).ok());
  EXPECT_EQ(checker_->shadow().Get(0x2ffff), ShadowState::HeapUnallocated);
  ASSERT_TRUE(checker_->OnMemoryGrow(0x40000, false).ok());
  EXPECT_EQ(checker_->shadow().Get(0x30000), ShadowState::Defined);
}

TEST_F(MemoryCheckerTest, WithoutAnAllocatorTheHeapIsPlainMemory) {
  Start(MemcheckOptions{}, /*with_heap=*/false);
  EXPECT_EQ(checker_->heap(), nullptr);
  EXPECT_FALSE(checker_->PlanAllocation(10, 0).has_value());
  EXPECT_EQ(checker_->shadow().Get(0x11000), ShadowState::Defined);
  ASSERT_TRUE(checker_->OnMemoryGrow(0x30000, true).ok());
  EXPECT_EQ(checker_->shadow().Get(0x2ffff), ShadowState::Defined);
  std::vector<uint8_t> memory(0x30000);
  EXPECT_EQ(checker_->Finish(0, memory, LeakRoots{}), 0);
  EXPECT_EQ(Log().find("HEAP SUMMARY"), std::string::npos);  // nothing to say about a heap
  EXPECT_NE(Log().find("ERROR SUMMARY: 0 errors from 0 contexts"), std::string::npos);
}

TEST_F(MemoryCheckerTest, FinishFindsLeaksAndSetsTheExitStatus) {
  MemcheckOptions options;
  options.leak_check = LeakCheck::Full;
  options.error_exitcode = 3;
  Start(options);
  uint32_t kept = Malloc(8, 0x11000, 5);
  Malloc(24, 0x11100, 6);  // lost
  std::vector<uint8_t> memory(0x20000);
  memcpy(&memory[0x10], &kept, 4);  // a global holds `kept`
  int status = checker_->Finish(0, memory, LeakRoots{{{0, 0x1000}}, {}});
  EXPECT_EQ(status, 3);  // the definite leak is an error
  std::string log = Log();
  EXPECT_NE(log.find("24 bytes in 1 blocks are definitely lost in loss record 2 of 2"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("   still reachable: 8 bytes in 1 blocks"), std::string::npos);
  EXPECT_NE(log.find("ERROR SUMMARY: 1 errors from 1 contexts"), std::string::npos);
}

TEST_F(MemoryCheckerTest, BadSetupIsAnErrorValue) {
  MemcheckOptions options;
  options.suppressions = {"/nonexistent/x.supp"};
  MemoryLayout layout;
  layout.memory_size = 0x10000;
  auto c = MemoryChecker::Create(options, layout, symbolizer_, RunInfo{});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().find("/nonexistent/x.supp"), std::string::npos);
  options = MemcheckOptions{};
  options.xml = true;
  EXPECT_FALSE(MemoryChecker::Create(options, layout, symbolizer_, RunInfo{}).ok());
  options.xml_file = "/nonexistent/out.xml";
  auto no_file = MemoryChecker::Create(options, layout, symbolizer_, RunInfo{});
  ASSERT_FALSE(no_file.ok());
  EXPECT_NE(no_file.error().find("cannot create /nonexistent/out.xml"), std::string::npos);
}

TEST_F(MemoryCheckerTest, XmlGoesToTheXmlFileOnly) {
  MemcheckOptions options;
  options.xml = true;
  options.xml_file = log_;
  MemoryLayout layout;
  layout.memory_size = 0x10000;
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  {
    auto c = MemoryChecker::Create(options, layout, symbolizer_,
                                   RunInfo{1, 0, "t", {"wasmgrind"}, {"p.wasm"}}, pipe_fds[1]);
    ASSERT_TRUE(c.ok()) << c.error();
    c.value()->CheckAccess(AccessKind::Read, 0x20000, 4, At(5));
    std::vector<uint8_t> memory(0x10000);
    c.value()->Finish(0, memory, LeakRoots{});
  }
  close(pipe_fds[1]);
  char buf[16];
  EXPECT_EQ(read(pipe_fds[0], buf, sizeof buf), 0);  // nothing on the text channel
  close(pipe_fds[0]);
  std::string xml = Log();
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\"?>", 0), 0u);
  EXPECT_NE(xml.find("<kind>InvalidRead</kind>"), std::string::npos);
  EXPECT_NE(xml.find("</valgrindoutput>"), std::string::npos);
}

// --log-fd and --xml-fd, as Valgrind's: the report goes to a descriptor the caller opened, not
// to the default channel; one that is not open is a one-line error.
TEST_F(MemoryCheckerTest, LogFdAndXmlFdWriteToTheGivenDescriptor) {
  for (const bool xml : {false, true}) {
    SCOPED_TRACE(xml);
    int given[2], fallback[2];
    ASSERT_EQ(pipe(given), 0);
    ASSERT_EQ(pipe(fallback), 0);
    MemcheckOptions options;
    options.xml = xml;
    (xml ? options.xml_fd : options.log_fd) = given[1];
    MemoryLayout layout;
    layout.memory_size = 0x10000;
    {
      auto c = MemoryChecker::Create(options, layout, symbolizer_,
                                     RunInfo{1, 0, "t", {"wasmgrind"}, {"p.wasm"}}, fallback[1]);
      ASSERT_TRUE(c.ok()) << c.error();
      c.value()->CheckAccess(AccessKind::Read, 0x20000, 4, At(5));
    }
    close(given[1]);
    close(fallback[1]);
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = read(given[0], buf, sizeof buf)) > 0;) out.append(buf, n);
    EXPECT_NE(out.find(xml ? "<kind>InvalidRead</kind>" : "Invalid read of size 4"),
              std::string::npos)
        << out;
    EXPECT_EQ(read(fallback[0], buf, sizeof buf), 0);  // nothing on the default channel
    close(given[0]);
    close(fallback[0]);
  }
  MemcheckOptions options;
  options.log_fd = 1000000;  // never open
  MemoryLayout layout;
  layout.memory_size = 0x10000;
  auto c = MemoryChecker::Create(options, layout, symbolizer_,
                                 RunInfo{1, 0, "t", {"wasmgrind"}, {"p.wasm"}}, 2);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error(), "--log-fd=1000000: not an open file descriptor");
}

}  // namespace
}  // namespace wasmgrind::memcheck

namespace wasmgrind::memcheck {
namespace {

TEST_F(MemoryCheckerTest, ReallocOfABadPointerIsAnInvalidFreeAndNothingMoves) {
  Start();
  uint32_t p = Malloc(10, 0x11000, 5);
  EXPECT_TRUE(checker_->CheckRealloc(0, At(6)));
  EXPECT_TRUE(checker_->CheckRealloc(p, At(6)));
  EXPECT_FALSE(checker_->CheckRealloc(p + 2, At(7)));
  checker_->OnFree(p, Deallocator::Free, At(8));
  EXPECT_FALSE(checker_->CheckRealloc(p, At(9)));  // realloc after free
  EXPECT_EQ(checker_->errors().counts().contexts, 2u);
  std::string log = Log();
  EXPECT_NE(log.find("Address 0x11012 is 2 bytes inside a block of size 10 alloc'd"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("Address 0x11010 is 0 bytes inside a block of size 10 free'd"),
            std::string::npos)
      << log;
}

TEST_F(MemoryCheckerTest, ReallocMovesTheBlockAndTheOldOneIsFreed) {
  Start();
  uint32_t p = Malloc(8, 0x11000, 5);
  ASSERT_TRUE(checker_->CheckRealloc(p, At(6)));
  uint32_t q = Malloc(32, 0x11100, 6);
  ASSERT_TRUE(checker_->CopyState(q, p, 8));
  EXPECT_EQ(checker_->OnFree(p, Deallocator::Free, At(6)).verdict, FreeVerdict::Freed);
  EXPECT_TRUE(checker_->CheckAccess(AccessKind::Read, p, 4, At(7)));  // stale pointer
  EXPECT_FALSE(checker_->CheckAccess(AccessKind::Read, q + 28, 4, At(8)));
}

}  // namespace
}  // namespace wasmgrind::memcheck

namespace wasmgrind::memcheck {
namespace {

TEST_F(MemoryCheckerTest, ClientRequestsRepaintAndCheck) {
  Start();
  checker_->MakeMemNoAccess(0x100, 16);
  EXPECT_EQ(checker_->shadow().Get(0x100), ShadowState::NoAccess);
  EXPECT_TRUE(checker_->CheckAccess(AccessKind::Read, 0x10c, 4, At(5)));
  EXPECT_EQ(checker_->CheckMemIsAddressable(0xf8, 32, At(6)), 0x100u);
  EXPECT_EQ(checker_->CheckMemIsAddressable(0x200, 32, At(6)), 0u);
  checker_->MakeMemDefined(0x100, 8);
  EXPECT_FALSE(checker_->CheckAccess(AccessKind::Read, 0x100, 8, At(7)));
  checker_->MakeMemUndefined(0x108, 8);
  EXPECT_FALSE(checker_->CheckAccess(AccessKind::Read, 0x108, 8, At(8)));  // addressable
  std::string log = Log();
  EXPECT_NE(log.find("Unaddressable byte(s) found during client check request\n"),
            std::string::npos)
      << log;
  EXPECT_EQ(checker_->errors().counts().errors, 2u);
}

TEST_F(MemoryCheckerTest, CustomAllocatorBlocksAreCheckedButNeverReleased) {
  MemcheckOptions options;
  options.freelist_vol = 0;  // evict at once
  Start(options);
  // A pool carved out of data memory: 64-byte objects with 8-byte redzones.
  checker_->MakeMemNoAccess(0x400, 0x200);
  checker_->MallocLikeBlock(0x408, 64, 8, false, At(5));
  EXPECT_FALSE(checker_->CheckAccess(AccessKind::Write, 0x408, 8, At(6)));
  EXPECT_TRUE(checker_->CheckAccess(AccessKind::Write, 0x448, 1, At(7)));
  EXPECT_NE(Log().find("Address 0x448 is 0 bytes after a block of size 64 alloc'd"),
            std::string::npos)
      << Log();
  FreeOutcome out = checker_->OnFree(0x408, Deallocator::Custom, At(8));
  EXPECT_EQ(out.verdict, FreeVerdict::Freed);
  EXPECT_TRUE(out.release.empty());       // the pool is the program's, not the allocator's
  checker_->FreeLikeBlock(0x408, At(9));  // again: an invalid free
  EXPECT_NE(Log().find("Invalid free() / delete / delete[] / realloc()"), std::string::npos);
  // free() of a custom block is a mismatch.
  checker_->MallocLikeBlock(0x508, 16, 8, true, At(10));
  EXPECT_EQ(checker_->OnFree(0x508, Deallocator::Free, At(11)).verdict, FreeVerdict::Mismatched);
}

}  // namespace
}  // namespace wasmgrind::memcheck

namespace wasmgrind::memcheck {
namespace {

// A C stack overflow, in Valgrind's words for a native one: the error (counted, so
// --error-exitcode applies), then the fatal signal the program dies of, -q or not.
TEST_F(MemoryCheckerTest, StackOverflowIsAnErrorThenAFatalSignal) {
  MemcheckOptions options;
  options.quiet = true;
  options.error_exitcode = 9;
  Start(options);
  checker_->OnStackOverflow(0xff0, At(12));
  const std::string p = "==" + std::to_string(getpid()) + "== ";
  EXPECT_EQ(Log(), p + "Stack overflow in thread #1: can't grow stack to 0xff0\n" +  //
                       p + "   at 0xC0: main (bug.c:12)\n" + p +
                       " The C stack is 65,536 bytes (0x1000..0x11000), this frame needs " +
                       "it 65,552 bytes deep\n" +  //
                       p + "\n" + p + "\n" +       //
                       p + "Process terminating with default action of signal 11 (SIGSEGV)\n" + p +
                       " Access not within mapped region at address 0xFF0\n" + p +
                       "Stack overflow in thread #1: can't grow stack to 0xff0\n" + p +
                       "   at 0xC0: main (bug.c:12)\n" + p +
                       " The C stack of a wasm32 program is sized when it is linked: to give\n" +
                       p +
                       " it more, link with -Wl,-z,stack-size=N (wasm-ld's default is 65536).\n" +
                       p + " The C stack size used in this run was 65536.\n");
  std::vector<uint8_t> memory(0x20000);
  EXPECT_EQ(checker_->Finish(134, memory, LeakRoots{}), 9);
  EXPECT_EQ(checker_->errors().counts().errors, 1u);
}

TEST_F(MemoryCheckerTest, StackPointerWrappedOrSetAboveTheTop) {
  Start();
  // A wrap past 0 is an overflow as deep as top - sp modulo 2^32 ...
  checker_->OnStackOverflow(0xfffffff0, At(3));
  // ... a pointer set just above the top is a bad restore.
  checker_->OnStackOverflow(0x11010, At(4));
  std::string log = Log();
  EXPECT_NE(log.find("can't grow stack to 0xfffffff0\n"), std::string::npos);
  EXPECT_NE(log.find("this frame needs it 69,648 bytes deep"), std::string::npos);
  EXPECT_NE(log.find("Stack pointer of thread #1 set to 0x11010, above the top of its stack\n"),
            std::string::npos);
  EXPECT_NE(log.find(" The C stack is 0x1000..0x11000\n"), std::string::npos);
  EXPECT_EQ(checker_->errors().counts().contexts, 2u);
}

// Valgrind's XML for a native stack overflow is a <fatal_signal> record (valgrind 3.19, a
// native build of stack_overflow_recursion.c with an 8 MiB recursion): ours has the same
// elements, after the counted StackOverflow <error>, and before the FINISHED status.
TEST_F(MemoryCheckerTest, StackOverflowXmlHasTheErrorAndValgrindsFatalSignalRecord) {
  MemcheckOptions options;
  options.xml = true;
  options.xml_file = log_;
  MemoryLayout layout;
  layout.memory_size = 0x20000;
  layout.stack = AddressRange{0x1000, 0x11000};
  layout.initial_stack_pointer = 0x11000;
  {
    auto c = MemoryChecker::Create(options, layout, symbolizer_,
                                   RunInfo{1, 0, "t", {"wasmgrind"}, {"p.wasm"}});
    ASSERT_TRUE(c.ok()) << c.error();
    c.value()->OnStackOverflow(0xff0, At(12));
    std::vector<uint8_t> memory(0x20000);
    c.value()->Finish(134, memory, LeakRoots{});
  }
  std::string xml = Log();
  const std::string error =
      "<error>\n"
      "  <unique>0x0</unique>\n"
      "  <tid>1</tid>\n"
      "  <kind>StackOverflow</kind>\n"
      "  <what>Stack overflow in thread #1: can't grow stack to 0xff0</what>\n";
  const std::string fatal =
      "<fatal_signal>\n"
      "  <tid>1</tid>\n"
      "  <signo>11</signo>\n"
      "  <signame>SIGSEGV</signame>\n"
      "  <sicode>1</sicode>\n"
      "  <event>Access not within mapped region</event>\n"
      "  <siaddr>0xFF0</siaddr>\n"
      "  <stack>\n"
      "    <frame>\n"
      "      <ip>0xC0</ip>\n"
      "      <obj>/work/bug.wasm</obj>\n"
      "      <fn>main</fn>\n"
      "      <dir>/work</dir>\n"
      "      <file>bug.c</file>\n"
      "      <line>12</line>\n"
      "    </frame>\n"
      "  </stack>\n"
      "</fatal_signal>\n\n\n<status>\n  <state>FINISHED</state>";
  size_t at_error = xml.find(error), at_fatal = xml.find(fatal);
  ASSERT_NE(at_error, std::string::npos) << xml;
  ASSERT_NE(at_fatal, std::string::npos) << xml;
  EXPECT_LT(at_error, at_fatal);
  EXPECT_NE(xml.find("<pair>\n    <count>1</count>\n    <unique>0x0</unique>"), std::string::npos);
}

}  // namespace
}  // namespace wasmgrind::memcheck
