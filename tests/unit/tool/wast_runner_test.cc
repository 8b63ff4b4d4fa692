// End to end: the spec-test runner on small scripts under data/, in-process, against the real
// engine; and `wasmgrind wast` with a known-failures list in both directions.
#include "wast_runner.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "exit_codes.h"
#include "temp_dir.h"
#include "wast2json.h"
#include "wast_command.h"

namespace wasmgrind {
namespace {

const std::filesystem::path kData = std::filesystem::path(WG_TESTS_DIR) / "unit/tool/data";

class WastRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto tool = FindOnPath("wast2json");
    if (!tool) GTEST_SKIP() << "wast2json not installed";
    tool_ = *tool;
  }
  std::filesystem::path tool_;
};

TEST_F(WastRunnerTest, BasicScriptPasses) {
  Engine engine;
  std::ostringstream out;
  auto report = RunWastFile(engine, tool_, kData / "basic.wast", out);
  ASSERT_TRUE(report.ok()) << report.error().message;
  std::string failures;
  for (const auto& f : report->failures)
    failures += std::to_string(f.line) + ": " + f.message + "\n";
  EXPECT_EQ(report->file, "basic.wast");
  EXPECT_EQ(report->failed, 0u) << failures;
  EXPECT_EQ(report->passed, 23u) << failures;
  EXPECT_EQ(report->skipped_text, 1u);
  // spectest.print_i32 prints like the reference interpreter.
  EXPECT_NE(out.str().find("1 : i32\n"), std::string::npos) << out.str();
}

TEST_F(WastRunnerTest, FailuresAreRecordedAndTheScriptGoesOn) {
  Engine engine;
  std::ostringstream out;
  auto report = RunWastFile(engine, tool_, kData / "failing.wast", out);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->passed, 2u);
  ASSERT_EQ(report->failed, 3u);
  ASSERT_EQ(report->failures.size(), 3u);
  EXPECT_EQ(report->failures[0].line, 5u);
  EXPECT_NE(report->failures[0].message.find("returns (i32:2 (0x2)) / returned (i32:1 (0x1))"),
            std::string::npos)
      << report->failures[0].message;
  EXPECT_EQ(report->failures[1].line, 6u);
  EXPECT_NE(report->failures[1].message.find("trap \"unreachable\" / returned"), std::string::npos);
  EXPECT_EQ(report->failures[2].line, 7u);
}

TEST_F(WastRunnerTest, UnconvertibleScriptIsAnError) {
  auto dir = TempDir::Create("wasmgrind-test-");
  ASSERT_TRUE(dir.ok());
  std::filesystem::path wast = dir->path() / "bad.wast";
  std::ofstream(wast) << "(module (func (i32.frob)))\n";
  Engine engine;
  std::ostringstream out;
  auto report = RunWastFile(engine, tool_, wast, out);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.error().message.find("wast2json failed"), std::string::npos);
}

class WastCommandTest : public WastRunnerTest {
 protected:
  // Runs `wasmgrind wast --known-failures <list> failing.wast` with `list` as the list's text.
  int RunWithList(const std::string& list) {
    auto dir = TempDir::Create("wasmgrind-test-");
    EXPECT_TRUE(dir.ok());
    std::filesystem::path list_path = dir->path() / "known.txt";
    std::ofstream(list_path) << list;
    WastOptions options{{kData / "failing.wast"}, list_path};
    out_.str("");
    err_.str("");
    return RunWastCommand(options, out_, err_);
  }
  std::ostringstream out_, err_;
};

TEST_F(WastCommandTest, WithoutListAnyFailureFails) {
  WastOptions options{{kData / "basic.wast"}, std::nullopt};
  EXPECT_EQ(RunWastCommand(options, out_, err_), kExitOk) << out_.str();
  EXPECT_TRUE(out_.str().ends_with("\n23 passed, 0 failed\n")) << out_.str();  // the closing line
  EXPECT_NE(out_.str().find("skipped (text format): 1\n"), std::string::npos);

  options.files = {kData / "failing.wast"};
  EXPECT_EQ(RunWastCommand(options, out_, err_), kExitFailures);
  EXPECT_NE(out_.str().find("failing.wast:5: returns"), std::string::npos) << out_.str();
}

TEST_F(WastCommandTest, GreenWhenFailuresAreExactlyListed) {
  EXPECT_EQ(RunWithList("# known\nfailing.wast:5\nfailing.wast:6\nfailing.wast:7\nother.wast:1\n"),
            kExitOk)
      << out_.str();
  EXPECT_TRUE(out_.str().ends_with("\n2 passed, 3 failed\n")) << out_.str();
  EXPECT_NE(out_.str().find("of which known: 3"), std::string::npos) << out_.str();
}

TEST_F(WastCommandTest, NewFailureFails) {
  EXPECT_EQ(RunWithList("failing.wast:5\nfailing.wast:6\n"), kExitFailures);
  EXPECT_NE(out_.str().find("new failure: failing.wast:7\n"), std::string::npos) << out_.str();
}

TEST_F(WastCommandTest, ListedCaseThatPassesFails) {
  EXPECT_EQ(RunWithList("failing.wast:5\nfailing.wast:6\nfailing.wast:7\nfailing.wast:8\n"),
            kExitFailures);
  EXPECT_NE(out_.str().find("listed as known failure but passed: failing.wast:8\n"),
            std::string::npos)
      << out_.str();
}

TEST_F(WastCommandTest, BadListIsAUsageError) {
  EXPECT_EQ(RunWithList("failing.wast\n"), kExitError);
  EXPECT_NE(err_.str().find("known.txt:1:"), std::string::npos) << err_.str();
}

}  // namespace
}  // namespace wasmgrind
