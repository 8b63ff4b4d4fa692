// --track-fds: Valgrind 3.19's FILE DESCRIPTORS list at exit, as it prints it for a native
// program (the most recently opened first; "yes" leaves out 0, 1 and 2 but counts them;
// inherited descriptors without a stack), in the text report and under --xml=yes (the list
// as text where the text report would go, only the bare stacks in the XML).
#include <gtest/gtest.h>
#include <unistd.h>

#include "error_manager_fixture.h"
#include "memcheck/memory_checker.h"

namespace wasmgrind::memcheck {
namespace {

using namespace testing;

class OpenFdsReportTest : public ErrorManagerFixture {
 protected:
  // What a WASI program under `--dir X::/sandbox` holds at exit: stdio, the preopen (fd 3)
  // and a file it opened in helper() called from main line 20 (fd 4).
  std::vector<OpenFd> Fds() {
    std::vector<OpenFd> fds(5);
    fds[0].fd = 4;
    fds[0].path = "/sandbox/a.txt";
    fds[0].site = backtraces_.Intern({{kHelper, Line(5)}, {kMain, Line(20)}});
    fds[1].fd = 3;
    fds[1].path = "/sandbox";
    fds[1].inherited = true;
    for (uint32_t fd = 2, i = 2; i < 5; --fd, ++i) {
      fds[i].fd = fd;
      fds[i].inherited = true;
    }
    return fds;
  }

  // Finish with Fds() open and an empty heap: the whole exit report.
  void FinishWithFds() {
    const std::vector<OpenFd> open = Fds();
    ExitFds fds;
    fds.open = open;
    HeapStats stats;
    manager_->Finish(&stats, nullptr, fds);
  }

  // Finish with `fds` open (no heap, so the list is all there is before the error summary);
  // returns the report up to that summary.
  std::string ListOf(const std::vector<OpenFd>& fds) {
    ExitFds exit_fds;
    exit_fds.open = fds;
    const size_t begin = sink_.text().size();
    manager_->Finish(nullptr, nullptr, exit_fds);
    const std::string text = sink_.text().substr(begin);
    return text.substr(0, text.find("==7== ERROR SUMMARY"));
  }
};

constexpr char kFileAndPreopen[] =
    "==7== Open file descriptor 4: /sandbox/a.txt\n"
    "==7==    at 0x50: helper(int) (bug.c:5)\n"
    "==7==    by 0x140: main (bug.c:20)\n"
    "==7== \n"
    "==7== Open file descriptor 3: /sandbox\n"
    "==7==    <inherited from parent>\n"
    "==7== \n";

TEST_F(OpenFdsReportTest, YesListsWhatTheProgramHoldsBeyondStdioBeforeTheHeapSummary) {
  options_.track_fds = TrackFds::Yes;
  Start();
  FinishWithFds();
  EXPECT_EQ(sink_.text().substr(0, sink_.text().find("==7==     in use at exit")),
            std::string("==7== \n"
                        "==7== FILE DESCRIPTORS: 5 open (3 std) at exit.\n") +
                kFileAndPreopen +
                "==7== \n"
                "==7== HEAP SUMMARY:\n");
}

TEST_F(OpenFdsReportTest, AllListsStdioToo) {
  options_.track_fds = TrackFds::All;
  Start();
  EXPECT_EQ(ListOf(Fds()), std::string("==7== \n"
                                       "==7== FILE DESCRIPTORS: 5 open (3 std) at exit.\n") +
                               kFileAndPreopen +
                               "==7== Open file descriptor 2:\n"
                               "==7==    <inherited from parent>\n"
                               "==7== \n"
                               "==7== Open file descriptor 1:\n"
                               "==7==    <inherited from parent>\n"
                               "==7== \n"
                               "==7== Open file descriptor 0:\n"
                               "==7==    <inherited from parent>\n"
                               "==7== \n"
                               "==7== \n");
}

TEST_F(OpenFdsReportTest, NoListWithoutTheOption) {
  Start();
  FinishWithFds();
  EXPECT_EQ(sink_.text().find("FILE DESCRIPTORS"), std::string::npos) << sink_.text();
  EXPECT_EQ(sink_.text().rfind("==7== \n==7== HEAP SUMMARY:\n", 0), 0u) << sink_.text();
}

// Valgrind's -q: the list without the blank line before it, and nothing at all when only
// stdio is open (unless "all").
TEST_F(OpenFdsReportTest, QuietListsOnlyWhenThereIsMoreThanStdio) {
  options_.quiet = true;
  options_.track_fds = TrackFds::Yes;
  Start();
  EXPECT_EQ(ListOf(Fds()), std::string("==7== FILE DESCRIPTORS: 5 open (3 std) at exit.\n") +
                               kFileAndPreopen + "==7== \n");
  std::vector<OpenFd> stdio = Fds();
  stdio.erase(stdio.begin(), stdio.begin() + 2);
  Start();
  EXPECT_EQ(ListOf(stdio), "");
  options_.track_fds = TrackFds::All;
  Start();
  EXPECT_EQ(ListOf(stdio).rfind("==7== FILE DESCRIPTORS: 3 open (3 std) at exit.\n", 0), 0u);
}

// Under --xml=yes Valgrind 3.19 writes the list as text (no blank line first, no stacks),
// and each open site's stack, bare, into the XML after the FINISHED status: no element of
// its own.
TEST_F(OpenFdsReportTest, XmlHasTheBareStacksAndTheTextTheList) {
  const std::string xml_file =
      ::testing::TempDir() + "/open-fds-" + std::to_string(getpid()) + ".xml";
  MemcheckOptions options;
  options.xml = true;
  options.xml_file = xml_file;
  options.track_fds = TrackFds::Yes;
  MemoryLayout layout;
  layout.memory_size = 0x10000;
  int text[2];
  ASSERT_EQ(pipe(text), 0);
  {
    auto c = MemoryChecker::Create(options, layout, symbolizer_,
                                   RunInfo{7, 0, "t", {"wasmgrind"}, {"p.wasm"}}, text[1]);
    ASSERT_TRUE(c.ok()) << c.error();
    std::vector<OpenFd> fds(2);
    fds[0].fd = 4;
    fds[0].path = "/sandbox/a.txt";
    fds[0].site = c.value()->InternBacktrace(Backtrace{{kHelper, Line(5)}, {kMain, Line(20)}});
    fds[1].fd = 3;
    fds[1].path = "/sandbox";
    fds[1].inherited = true;
    c.value()->SetOpenFdsAtExit(fds);
    std::vector<uint8_t> memory(0x10000);
    c.value()->Finish(0, memory, LeakRoots{});
  }
  close(text[1]);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = read(text[0], buf, sizeof buf)) > 0;) out.append(buf, n);
  close(text[0]);
  EXPECT_EQ(out,
            "==7== FILE DESCRIPTORS: 2 open (0 std) at exit.\n"
            "==7== Open file descriptor 4: /sandbox/a.txt\n"
            "==7== \n"
            "==7== Open file descriptor 3: /sandbox\n"
            "==7==    <inherited from parent>\n"
            "==7== \n"
            "==7== \n");
  const std::string xml = ReadFile(xml_file);
  unlink(xml_file.c_str());
  const size_t finished = xml.find("<state>FINISHED</state>");
  ASSERT_NE(finished, std::string::npos) << xml;
  EXPECT_NE(xml.find("</status>\n\n"
                     "  <stack>\n"
                     "    <frame>\n"
                     "      <ip>0x50</ip>\n"
                     "      <obj>/work/bug.wasm</obj>\n"
                     "      <fn>helper(int)</fn>\n"
                     "      <dir>/work</dir>\n"
                     "      <file>bug.c</file>\n"
                     "      <line>5</line>\n"
                     "    </frame>\n"
                     "    <frame>\n"
                     "      <ip>0x140</ip>\n"
                     "      <obj>/work/bug.wasm</obj>\n"
                     "      <fn>main</fn>\n"
                     "      <dir>/work</dir>\n"
                     "      <file>bug.c</file>\n"
                     "      <line>20</line>\n"
                     "    </frame>\n"
                     "  </stack>\n"
                     "<errorcounts>\n",
                     finished),
            std::string::npos)
      << xml;
  EXPECT_EQ(xml.find("descriptor"), std::string::npos) << xml;
  EXPECT_EQ(xml.find("inherited"), std::string::npos) << xml;
}

}  // namespace
}  // namespace wasmgrind::memcheck
