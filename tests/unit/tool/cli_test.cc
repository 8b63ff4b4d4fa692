// The command line: usage and file errors are one line and exit status 2, never a crash;
// `run --invoke` parses arguments by type and prints results; a trap exits with 134.
#include "cli_capture.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "exit_codes.h"
#include "perf_map.h"
#include "temp_dir.h"

namespace wasmgrind {
namespace {

// (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
// (func (export "trap") unreachable)
const std::vector<uint8_t> kAddModule = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,                          // header
    0x01, 0x0a, 0x02, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x00,  // types
    0x03, 0x03, 0x02, 0x00, 0x01,                                            // funcs
    0x07, 0x0e, 0x02, 0x03, 'a',  'd',  'd',  0x00, 0x00, 0x04, 't',  'r',
    'a',  'p',  0x00, 0x01,  // exports
    0x0a, 0x0d, 0x02, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b, 0x03,
    0x00, 0x00, 0x0b,  // code
};
// (import "env" "f" (func))
const std::vector<uint8_t> kImportModule = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00,
    0x00, 0x02, 0x09, 0x01, 0x03, 'e',  'n',  'v',  0x01, 'f',  0x00, 0x00,
};

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = TempDir::Create("wasmgrind-cli-test-");
    ASSERT_TRUE(dir.ok());
    dir_.emplace(std::move(dir).value());
  }

  std::string Write(const std::string& name, const std::vector<uint8_t>& bytes) {
    std::filesystem::path p = dir_->path() / name;
    std::ofstream(p, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
    return p.string();
  }

  int Run(std::vector<std::string> args) { return cli_.Run(std::move(args)); }

  // Exit status 2 with exactly one "wasmgrind: error: ..." line on stderr.
  void ExpectUsageError(std::vector<std::string> args) {
    SCOPED_TRACE(::testing::PrintToString(args));
    EXPECT_EQ(Run(args), kExitError);
    std::string err = err_.str();
    EXPECT_EQ(err.rfind("wasmgrind: error: ", 0), 0u) << err;
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
    EXPECT_EQ(out_.str(), "");
  }

  std::optional<TempDir> dir_;
  CliCapture cli_;
  std::ostringstream& out_ = cli_.out;
  std::ostringstream& err_ = cli_.err;
};

TEST_F(CliTest, UsageErrors) {
  ExpectUsageError({});
  ExpectUsageError({"frobnicate"});
  ExpectUsageError({"--bogus"});
  ExpectUsageError({"run"});
  ExpectUsageError({"run", "--bogus", "x.wasm"});
  ExpectUsageError({"run", "x.wasm", "--invoke"});
  ExpectUsageError({"wast"});
  ExpectUsageError({"wast", "--known-failures"});
}

TEST_F(CliTest, MaxWasmStackValues) {
  std::string wasm = Write("add.wasm", kAddModule);
  for (const char* bad :
       {"0", "4095", "1025M", "2G", "64KiB", "1.5M", "-1", "x", "99999999999999999999"}) {
    ExpectUsageError({"run", std::string("--max-wasm-stack=") + bad, wasm});
    EXPECT_NE(err_.str().find("--max-wasm-stack"), std::string::npos) << err_.str();
    ExpectUsageError({"wast", "--max-wasm-stack", bad, "/nonexistent/x.wast"});
  }
  for (const char* good : {"4096", "64k", "64K", "1m", "1G"}) {
    EXPECT_EQ(
        Run({"run", std::string("--max-wasm-stack=") + good, "--invoke", "add", wasm, "1", "2"}),
        kExitOk)
        << good << ": " << err_.str();
    EXPECT_EQ(out_.str(), "3\n");
  }
}

TEST_F(CliTest, FileErrors) {
  ExpectUsageError({"run", "/nonexistent/prog.wasm"});
  ExpectUsageError({"run", dir_->path().string()});
  ExpectUsageError({"wast", "/nonexistent/x.wast"});
  ExpectUsageError({"wast", "--known-failures", "/nonexistent/kf.txt", "/nonexistent/x.wast"});
}

TEST_F(CliTest, HelpDescribesOptionsAndStatuses) {
  EXPECT_EQ(Run({"--help"}), kExitOk);
  EXPECT_NE(out_.str().find("run"), std::string::npos);
  EXPECT_NE(out_.str().find("wast"), std::string::npos);
  EXPECT_EQ(Run({"run", "--help"}), kExitOk);
  EXPECT_NE(out_.str().find("--invoke"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("134"), std::string::npos) << out_.str();
  EXPECT_EQ(Run({"wast", "--help"}), kExitOk);
  EXPECT_NE(out_.str().find("--known-failures"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("77"), std::string::npos) << out_.str();
}

TEST_F(CliTest, MalformedModuleIsOneLine) {
  ExpectUsageError({"run", Write("garbage.wasm", {'n', 'o', 't', ' ', 'w', 'a', 's', 'm'})});
  ExpectUsageError({"run", Write("empty.wasm", {})});
}

TEST_F(CliTest, UnresolvedImportIsOneLine) {
  ExpectUsageError({"run", Write("import.wasm", kImportModule)});
  EXPECT_NE(err_.str().find("cannot link"), std::string::npos) << err_.str();
}

TEST_F(CliTest, InvokePrintsResults) {
  std::string wasm = Write("add.wasm", kAddModule);
  EXPECT_EQ(Run({"run", "--invoke", "add", wasm, "2", "40"}), kExitOk) << err_.str();
  EXPECT_EQ(out_.str(), "42\n");
  EXPECT_EQ(Run({"run", "--invoke", "add", wasm, "0x10", "-20"}), kExitOk) << err_.str();
  EXPECT_EQ(out_.str(), "-4\n");
  EXPECT_EQ(Run({"run", wasm}), kExitOk) << err_.str();  // no _start: just instantiate
  EXPECT_EQ(out_.str(), "");
}

// --profile=perfmap: a "START SIZE NAME" line per function in /tmp/perf-PID.map, for perf.
TEST_F(CliTest, PerfMapNamesEveryFunctionsCode) {
  std::string wasm = Write("add.wasm", kAddModule);
  const std::filesystem::path map = PerfMapPath();
  std::filesystem::remove(map);
  EXPECT_EQ(Run({"run", "--profile=perfmap", "--invoke", "add", wasm, "1", "2"}), kExitOk)
      << err_.str();
  std::ifstream in(map);
  std::vector<std::string> names;
  std::string start, size, name;
  while (in >> std::hex >> start >> size && std::getline(in >> std::ws, name)) {
    EXPECT_GT(std::stoull(start, nullptr, 16), 0u);
    EXPECT_GT(std::stoull(size, nullptr, 16), 0u);
    names.push_back(name);
  }
  std::filesystem::remove(map);
  // Named as backtraces name them: this module has no name section.
  EXPECT_EQ(names, (std::vector<std::string>{"func[0]", "func[1]"}));
  ExpectUsageError({"run", "--profile=gprof", wasm});
}

TEST_F(CliTest, InvokeArgumentErrors) {
  std::string wasm = Write("add.wasm", kAddModule);
  ExpectUsageError({"run", "--invoke", "add", wasm, "1"});
  ExpectUsageError({"run", "--invoke", "add", wasm, "1", "x"});
  ExpectUsageError({"run", "--invoke", "nope", wasm});
  ExpectUsageError({"run", wasm, "1"});
}

TEST_F(CliTest, TrapExitsWith134) {
  std::string wasm = Write("add.wasm", kAddModule);
  EXPECT_EQ(Run({"run", "--invoke", "trap", wasm}), kExitTrap);
  EXPECT_EQ(err_.str(),
            "wasm trap: unreachable\n"
            "wasm backtrace:\n"
            "  0: 0x36 - add.wasm!func[1]\n");  // the `unreachable` byte
}

}  // namespace
}  // namespace wasmgrind
