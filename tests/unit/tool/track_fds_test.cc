// `wasmgrind run --memcheck --track-fds=yes|all` end to end on tests/programs/open_fds.c
// under `--dir <tmp>::/sandbox`: Valgrind's FILE DESCRIPTORS list before the HEAP SUMMARY,
// with the path each descriptor was opened as and the program's own frames down to the line
// of main that opened it; the preopen as inherited, stdio only with `all`, a closed
// descriptor gone, a renumbered one where Valgrind puts a dup2'd one. And the option's
// errors, as the other Valgrind options'.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "cli_capture.h"
#include "exit_codes.h"
#include "temp_dir.h"

#ifndef WG_WASI_PROGRAMS_DIR
#define WG_WASI_PROGRAMS_DIR ""
#endif

namespace wasmgrind {
namespace {

class TrackFdsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string(WG_WASI_PROGRAMS_DIR).empty())
      GTEST_SKIP() << "no wasm32-wasi compiler was found at configure time";
    auto dir = TempDir::Create("wasmgrind-track-fds-test-");
    ASSERT_TRUE(dir.ok());
    dir_.emplace(std::move(dir).value());
    std::filesystem::create_directory(dir_->path() / "sandbox");
  }

  static std::string Program() { return std::string(WG_WASI_PROGRAMS_DIR) + "/open_fds.wasm"; }

  // Runs open_fds.wasm under --memcheck with `options`; returns the text report with the
  // process id as PID, code addresses as 0x.. (they move with the compiler) and wasi-libc's
  // source lines as (libc) (they move with its version).
  std::string Report(std::vector<std::string> options) {
    const std::string log = (dir_->path() / "report.txt").string();
    std::vector<std::string> args = {"run", "--memcheck", "--log-file=" + log, "--dir",
                                     (dir_->path() / "sandbox").string() + "::/sandbox"};
    args.insert(args.end(), options.begin(), options.end());
    args.push_back(Program());
    EXPECT_EQ(cli_.Run(args), kExitOk) << cli_.err.str();
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    std::string report = std::regex_replace(text.str(), std::regex("==[0-9]+=="), "==PID==");
    report = std::regex_replace(report, std::regex("0x[0-9A-F]+"), "0x..");
    return std::regex_replace(report, std::regex("\\((?!open_fds\\.c)[^():]+:[0-9]+\\)"), "(libc)");
  }
  // The report from FILE DESCRIPTORS to HEAP SUMMARY (what --track-fds adds).
  static std::string FdList(const std::string& report) {
    const size_t begin = report.find("==PID== FILE DESCRIPTORS");
    if (begin == std::string::npos) return "";
    return report.substr(begin, report.find("==PID== HEAP SUMMARY:") - begin);
  }

  std::optional<TempDir> dir_;
  CliCapture cli_;
};

// fd 5: moved.txt renumbered onto target.txt's 5 (Valgrind's dup2: the renumbering is where
// it was made); fd 4 as opened; the preopen inherited; 0, 1, 2 counted, not listed.
constexpr char kYesList[] =
    "==PID== FILE DESCRIPTORS: 6 open (3 std) at exit.\n"
    "==PID== Open file descriptor 5: /sandbox/moved.txt\n"
    "==PID==    at 0x..: __wasi_fd_renumber (libc)\n"
    "==PID==    by 0x..: __wasilibc_fd_renumber (libc)\n"
    "==PID==    by 0x..: main (open_fds.c:17)\n"
    "==PID== \n"
    "==PID== Open file descriptor 4: /sandbox/kept.txt\n"
    "==PID==    at 0x..: __wasi_path_open (libc)\n"
    "==PID==    by 0x..: __wasilibc_nocwd_openat_nomode (libc)\n"
    "==PID==    by 0x..: __wasilibc_open_nomode (libc)\n"
    "==PID==    by 0x..: open (libc)\n"
    "==PID==    by 0x..: main (open_fds.c:12)\n"
    "==PID== \n"
    "==PID== Open file descriptor 3: /sandbox\n"
    "==PID==    <inherited from parent>\n"
    "==PID== \n"
    "==PID== \n";

TEST_F(TrackFdsTest, YesListsWhatTheProgramLeftOpenBeforeTheHeapSummary) {
  const std::string report = Report({"--track-fds=yes"});
  EXPECT_EQ(FdList(report), kYesList) << report;
  // Valgrind's exit: a blank line, the list, the heap summary.
  EXPECT_NE(report.find("==PID== \n==PID== FILE DESCRIPTORS"), std::string::npos) << report;
  EXPECT_EQ(report.find("closed.txt"), std::string::npos) << report;
  EXPECT_EQ(report.find("target.txt"), std::string::npos) << report;
}

TEST_F(TrackFdsTest, AllListsStdioToo) {
  EXPECT_EQ(FdList(Report({"--track-fds=all"})),
            std::string(kYesList, sizeof kYesList - 1 - std::string("==PID== \n").size()) +
                "==PID== Open file descriptor 2:\n"
                "==PID==    <inherited from parent>\n"
                "==PID== \n"
                "==PID== Open file descriptor 1:\n"
                "==PID==    <inherited from parent>\n"
                "==PID== \n"
                "==PID== Open file descriptor 0:\n"
                "==PID==    <inherited from parent>\n"
                "==PID== \n"
                "==PID== \n");
}

TEST_F(TrackFdsTest, NoListByDefaultOrWithNo) {
  for (const std::vector<std::string>& options :
       {std::vector<std::string>{}, std::vector<std::string>{"--track-fds=no"}}) {
    const std::string report = Report(options);
    EXPECT_EQ(report.find("FILE DESCRIPTORS"), std::string::npos) << report;
    EXPECT_NE(report.find("HEAP SUMMARY"), std::string::npos) << report;
  }
}

// As the other Valgrind options: a bad value is one line and exit status 2, and the option
// needs --memcheck (or --tool=memcheck).
TEST_F(TrackFdsTest, BadValueAndNoMemcheckAreUsageErrors) {
  EXPECT_EQ(cli_.Run({"run", "--memcheck", "--track-fds=maybe", Program()}), kExitError);
  EXPECT_EQ(cli_.err.str(),
            "wasmgrind: error: bad option value: --track-fds=maybe (expected no, yes or all) "
            "(see --help)\n");
  EXPECT_EQ(cli_.out.str(), "");  // the program did not run
  EXPECT_EQ(cli_.Run({"run", "--track-fds=yes", Program()}), kExitError);
  EXPECT_EQ(cli_.err.str(), "wasmgrind: error: --track-fds needs --memcheck (see --help)\n");
}

}  // namespace
}  // namespace wasmgrind
