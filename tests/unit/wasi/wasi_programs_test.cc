// End to end: the C/C++ programs in tests/programs, compiled for wasm32-wasi, run through
// RunWasiCommand on our engine with stdin/stdout/stderr redirected to temporary files. Each
// test compares the complete output and exit code with what the program must produce.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <iterator>

#include "vm/jit/engine.h"
#include "wasi_run.h"
#include "wasi_test_util.h"

#ifndef WG_WASI_PROGRAMS_DIR
#define WG_WASI_PROGRAMS_DIR ""
#endif

namespace wasmgrind::wasi {
namespace {

using testing::TempDir;

struct RunResult {
  Result<int> exit_code = 0;
  std::string out;
  std::string err;
};

class WasiProgramsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { engine_ = new Engine(); }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }
  void SetUp() override {
    if (std::string(WG_WASI_PROGRAMS_DIR).empty())
      GTEST_SKIP() << "no wasm32-wasi compiler was found at configure time";
  }

  RunResult Run(const std::string& program, std::vector<std::string> args = {},
                WasiOptions options = {}, const std::string& stdin_text = "") {
    RunResult result;
    std::string path = std::string(WG_WASI_PROGRAMS_DIR) + "/" + program + ".wasm";
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      ADD_FAILURE() << "missing " << path;
      result.exit_code = Error::Make(ErrorKind::Io, "missing program");
      return result;
    }
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
    auto module = Module::Compile(*engine_, std::move(bytes));
    if (!module.ok()) {
      ADD_FAILURE() << program << " does not compile: " << module.error().ToString();
      result.exit_code = module.error();
      return result;
    }
    io_.WriteFile("stdin", stdin_text);
    UniqueFd in_fd(open(io_.Join("stdin").c_str(), O_RDONLY | O_CLOEXEC));
    UniqueFd out_fd(
        open(io_.Join("stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    UniqueFd err_fd(
        open(io_.Join("stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    options.args.insert(options.args.begin(), program);
    options.args.insert(options.args.end(), args.begin(), args.end());
    options.stdin_fd = in_fd.get();
    options.stdout_fd = out_fd.get();
    options.stderr_fd = err_fd.get();
    result.exit_code = RunWasiCommand(*engine_, std::move(module).value(), options);
    result.out = io_.ReadFile("stdout");
    result.err = io_.ReadFile("stderr");
    return result;
  }

  static void ExpectExit(const RunResult& r, int code) {
    ASSERT_TRUE(r.exit_code.ok()) << r.exit_code.error().ToString() << "\nstdout:\n" << r.out;
    EXPECT_EQ(*r.exit_code, code);
  }

  static Engine* engine_;
  TempDir io_;
};

Engine* WasiProgramsTest::engine_ = nullptr;

TEST_F(WasiProgramsTest, HelloWorld) {
  RunResult r = Run("hello");
  ExpectExit(r, 0);
  EXPECT_EQ(r.out, "Hello, world!\n");
  EXPECT_EQ(r.err, "to stderr 42\n");
}

TEST_F(WasiProgramsTest, ArgsAndEnvironment) {
  WasiOptions options;
  options.env = {{"WG_HOME", "/home/x"}, {"B", "2=3"}};
  RunResult r = Run("args_env", {"a", "b c", ""}, options);
  ExpectExit(r, 0);
  EXPECT_EQ(r.out,
            "argc=4\n"
            "argv[0]=[args_env]\n"
            "argv[1]=[a]\n"
            "argv[2]=[b c]\n"
            "argv[3]=[]\n"
            "envc=2\n"
            "env: B=2=3\n"
            "env: WG_HOME=/home/x\n"
            "getenv(WG_HOME)=/home/x\n"
            "getenv(MISSING)=(null)\n");
}

TEST_F(WasiProgramsTest, Stdin) {
  RunResult r = Run("stdin_echo", {}, {}, "abc\ndef\nlast line without newline");
  ExpectExit(r, 0);
  EXPECT_EQ(r.out,
            "poll: 1 readable\n"
            "1: ABC\n"
            "2: DEF\n"
            "3: LAST LINE WITHOUT NEWLINElines=3 bytes=33 eof=1\n");
}

TEST_F(WasiProgramsTest, ExitCodes) {
  for (const char* how : {"return", "exit", "_exit"}) {
    for (int code : {0, 3, 255}) {
      RunResult r = Run("exit_code", {how, std::to_string(code)});
      ExpectExit(r, code);
      EXPECT_EQ(r.out, "exiting with " + std::to_string(code) + " via " + how + "\n");
    }
  }
}

TEST_F(WasiProgramsTest, TrapIsAnErrorNotAnExit) {
  RunResult r = Run("trap");
  ASSERT_FALSE(r.exit_code.ok());
  EXPECT_EQ(r.exit_code.error().kind, ErrorKind::Trap);
  EXPECT_EQ(r.exit_code.error().trap, TrapKind::Unreachable);
  EXPECT_EQ(r.out, "before trap\n");
}

TEST_F(WasiProgramsTest, MemoryGrownAfterStartIsVisible) {
  RunResult r = Run("grow");
  ExpectExit(r, 0);
  EXPECT_EQ(r.out, "from the end of a big buffer\n16777216 bytes, last byte x\n");
}

TEST_F(WasiProgramsTest, Files) {
  TempDir tmp;
  tmp.MakeDir("sandbox");
  WasiOptions options;
  options.preopens = {{tmp.Join("sandbox"), "/sandbox"}};
  RunResult r = Run("files", {"/sandbox"}, options);
  ExpectExit(r, 0);
  EXPECT_EQ(r.out,
            "mkdir ok\n"
            "size=46 regular=1\n"
            "read at 6: [file]\n"
            "tell=10 end=46\n"
            "pread: [HELLO file]\n"
            "after truncate size=5\n"
            "content: [HELLO appended]\n"
            "rename ok\n"
            "readlink: [b.txt]\n"
            "ls: b.txt c.txt link@ sub/\n"
            "ls: b.txt\n"
            "rmdir ok\n"
            "chdir ok\n"
            "ls: final.txt\n");
  EXPECT_EQ(tmp.ReadFile("sandbox/final.txt"), "HELLO appended");
  EXPECT_FALSE(tmp.Exists("sandbox/work"));
}

TEST_F(WasiProgramsTest, EscapeAttemptsAreRefused) {
  TempDir tmp;
  tmp.MakeDir("sandbox/sub");
  tmp.WriteFile("secret.txt", "TOP SECRET\n");
  tmp.WriteFile("sandbox/inside.txt", "inside\n");
  tmp.Symlink("inside.txt", "sandbox/link_ok");
  tmp.Symlink("../secret.txt", "sandbox/link_out");
  tmp.Symlink(tmp.Join("secret.txt"), "sandbox/link_abs");
  tmp.Symlink("..", "sandbox/link_up");
  tmp.Symlink("../../secret.txt", "sandbox/sub/link_escape");
  WasiOptions options;
  options.preopens = {{tmp.Join("sandbox"), "/sandbox"}};
  RunResult r = Run("escape", {"/sandbox", tmp.Join("secret.txt")}, options);
  ExpectExit(r, 0);
  EXPECT_EQ(r.out.find("ESCAPED"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("SECRET"), std::string::npos) << r.out;
  const std::string raw_dotdot =
      "refused: raw path_open ../secret.txt (dotdot)\n"
      "refused: raw path_filestat_get ../secret.txt\n"
      "refused: raw path_open sub/../../secret.txt (dotdot)\n"
      "refused: raw path_filestat_get sub/../../secret.txt\n"
      "refused: raw path_open /etc/passwd (absolute)\n"
      "refused: raw path_filestat_get /etc/passwd\n";
  EXPECT_EQ(r.out,
            "control: allowed [inside\n]\n"
            "refused: open /sandbox/../secret.txt\n"
            "refused: open /sandbox/sub/../../secret.txt\n"
            "refused: open /etc/passwd\n"
            "refused: open " +
                tmp.Join("secret.txt") +
                "\n"
                "refused: open /sandbox/link_out\n"
                "refused: open /sandbox/link_abs\n"
                "refused: open /sandbox/link_up/secret.txt\n"
                "refused: open /sandbox/sub/link_escape\n"
                "refused: open /sandbox/link_up/created.txt O_CREAT\n"
                "refused: open /sandbox/link_out\n"
                "refused: stat /sandbox/../secret.txt\n"
                "refused: stat /sandbox/link_out\n"
                "refused: stat /sandbox/link_up/secret.txt\n"
                "refused: opendir link_up\n"
                "refused: opendir ..\n"
                "refused: mkdir ../evil\n"
                "refused: mkdir link_up/evil\n"
                "refused: rename inside.txt to ../stolen.txt\n"
                "refused: rename inside.txt to link_up/stolen.txt\n"
                "refused: link link_up/secret.txt\n"
                "refused: unlink ../secret.txt\n"
                "refused: symlink to an absolute path\n"
                "refused: symlink to ../secret.txt\n"
                "refused: symlink to sub/../../secret.txt\n"
                "refused: open /sandbox/made_out\n" +
                raw_dotdot +
                "refused: raw path_open link_up/secret.txt (through link_up)\n"
                "refused: raw path_filestat_get link_up/secret.txt\n"
                "refused: raw path_open link_out (follow link_out)\n"
                "refused: raw path_filestat_get link_out\n"
                "refused: raw path_open link_abs (follow link_abs)\n"
                "refused: raw path_filestat_get link_abs\n"
                "refused: raw path_open sub/link_escape (follow sub/link_escape)\n"
                "refused: raw path_filestat_get sub/link_escape\n"
                "inside.txt still there: 1\n");
  // Nothing outside the sandbox changed.
  EXPECT_EQ(tmp.ReadFile("secret.txt"), "TOP SECRET\n");
  for (const char* name : {"evil", "stolen.txt", "created.txt"})
    EXPECT_FALSE(tmp.Exists(name)) << name;
  EXPECT_FALSE(tmp.Exists("sandbox/hard"));
  EXPECT_FALSE(tmp.Exists("sandbox/made_abs"));
}

TEST_F(WasiProgramsTest, ClocksAndRandom) {
  RunResult r = Run("clocks_random");
  ExpectExit(r, 0);
  EXPECT_EQ(r.out,
            "monotonic ok: 1\n"
            "realtime after 2020: 1\n"
            "time() agrees: 1\n"
            "res ok: 1\n"
            "nanosleep: 0 slept enough: 1\n"
            "process cputime: 1\n"
            "getentropy: 0 0 differ: 1 mostly nonzero: 1\n");
}

TEST_F(WasiProgramsTest, CppWithLibcxx) {
  if (!std::ifstream(std::string(WG_WASI_PROGRAMS_DIR) + "/cpp_containers.wasm"))
    GTEST_SKIP() << "clang++ cannot target wasm32-wasi here";
  RunResult r = Run("cpp_containers", {"kiwi"});
  ExpectExit(r, 0);
  EXPECT_EQ(r.out,
            "apple: 3\n"
            "banana: 1\n"
            "fig: 2\n"
            "kiwi: 1\n"
            "pear: 1\n"
            "sum=55 first=6 last=1\n"
            "PI~3.14159 HEX=FF len=17\n");
  EXPECT_EQ(r.err, "cerr works\n");
}

TEST_F(WasiProgramsTest, EveryImportLinks) {
  RunResult r = Run("all_imports");
  ExpectExit(r, 0);
  EXPECT_EQ(r.out, "sched_yield: 0\nsock_shutdown: 57\n");  // NOTSOCK: stdin is no socket
}

TEST_F(WasiProgramsTest, HostilePointersAreFaults) {
  TempDir tmp;
  WasiOptions options;
  options.preopens = {{tmp.path(), "/sb"}};
  RunResult r = Run("bad_pointers", {}, options, "stdin data");
  ExpectExit(r, 0);
  std::string expected;
  for (const char* call :
       {"iovs past end", "buf past end", "buf wraps", "second buf bad", "result ptr bad",
        "read into end", "args_get", "random_get", "clock_time_get", "path_open path",
        "path_open len", "fdstat_get", "prestat_dir_name", "poll_oneoff"})
    expected += std::string(call) + "=21\n";
  EXPECT_EQ(r.out, expected + "still alive\n");
}

TEST_F(WasiProgramsTest, MissingPreopenIsAnIoError) {
  WasiOptions options;
  options.preopens = {{io_.Join("no-such-dir"), "/x"}};
  RunResult r = Run("hello", {}, options);
  ASSERT_FALSE(r.exit_code.ok());
  EXPECT_EQ(r.exit_code.error().kind, ErrorKind::Io);
}

}  // namespace
}  // namespace wasmgrind::wasi
