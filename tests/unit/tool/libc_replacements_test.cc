// `wasmgrind run` replaces a module's libc string and memory functions by native code
// (libc_replacements.h), and --no-libc-replacements runs the module's own musl code. With
// tests/programs/libc_strings.c, both must trap where musl's loops leave memory, and the
// replacement is visible in how it traps: before touching memory (an explicit trap, no
// faulting access), where musl's code faults on the guard page. That the results are the same
// is checked by ctest's cli/libc-replacements-* tests (the program's stdout is the process's).
#include <gtest/gtest.h>

#include <string>

#include "cli_capture.h"
#include "exit_codes.h"

#ifndef WG_WASI_PROGRAMS_DIR
#define WG_WASI_PROGRAMS_DIR ""
#endif

namespace wasmgrind {
namespace {

constexpr const char* kWithout = "--no-libc-replacements";

class LibcReplacementsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string(WG_WASI_PROGRAMS_DIR).empty())
      GTEST_SKIP() << "no wasm32-wasi compiler was found at configure time";
  }
  static std::string Program() { return std::string(WG_WASI_PROGRAMS_DIR) + "/libc_strings.wasm"; }

  CliCapture cli_;
};

struct PastEndCase {
  const char* arg;
  const char* function;  // innermost frame of the backtrace with the replacement
};

TEST_F(LibcReplacementsTest, BothTrapWhereMuslWouldLeaveMemory) {
  static constexpr PastEndCase kCases[] = {
      {"strlen-past-end", "strlen"}, {"strcmp-past-end", "strcmp"},
      {"memcmp-past-end", "memcmp"}, {"memcpy-past-end", "memcpy"},
      {"memset-past-end", "memset"}, {"memchr-past-end", "memchr"},
      {"strchr-past-end", "strchr"}, {"strstr-past-end", "strstr"},
      {"strcpy-past-end", "strcpy"},
  };
  for (const PastEndCase& c : kCases) {
    SCOPED_TRACE(c.arg);
    EXPECT_EQ(cli_.Run({"run", Program(), c.arg}), kExitTrap) << cli_.out.str();
    std::string err = cli_.err.str();
    EXPECT_NE(err.find("wasm trap: out of bounds memory access"), std::string::npos) << err;
    EXPECT_NE(err.find(std::string("  0: ")), std::string::npos) << err;
    EXPECT_NE(err.find(std::string("libc_strings.wasm!") + c.function + " "), std::string::npos) << err;
    EXPECT_EQ(err.find("memory fault at"), std::string::npos) << "replacement touched memory: " << err;
    EXPECT_NE(err.find(std::string("!") + c.function + " (wasmgrind's native replacement"),
              std::string::npos) << err;

    EXPECT_EQ(cli_.Run({"run", kWithout, Program(), c.arg}), kExitTrap) << cli_.out.str();
    EXPECT_NE(cli_.err.str().find("memory fault at wasm address"), std::string::npos) << cli_.err.str();
  }
}

}  // namespace
}  // namespace wasmgrind
