// `wasmgrind run` replaces a module's libc string and memory functions by native code
// (libc_replacements.h), and --no-libc-replacements runs the module's own musl code. With
// tests/programs/libc_strings.c, both must trap where musl's loops leave memory, and the
// replacement is visible in how it traps: before touching memory (an explicit trap, no
// signal), where musl's code faults on the guard page; its report names the access the C
// function would have made. That the results are the same
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
  // The access the replacement reports: what the C function would read or write (a scan: up
  // to and including the first byte past the end of memory, 0x20000 here).
  const char* access;
};

TEST_F(LibcReplacementsTest, BothTrapWhereMuslWouldLeaveMemory) {
  static constexpr PastEndCase kCases[] = {
      {"strlen-past-end", "strlen", "0x1fff0 in linear memory 0 of size 0x20000 (17-byte load)"},
      {"strcmp-past-end", "strcmp", "0x1fff0 in linear memory 0 of size 0x20000 (17-byte load)"},
      {"memcmp-past-end", "memcmp", "0x1fff0 in linear memory 0 of size 0x20000 (17-byte load)"},
      {"memcpy-past-end", "memcpy", "0x1fff8 in linear memory 0 of size 0x20000 (16-byte store)"},
      {"memset-past-end", "memset", "0x1fff8 in linear memory 0 of size 0x20000 (16-byte store)"},
      {"memchr-past-end", "memchr", "0x1fff0 in linear memory 0 of size 0x20000 (32-byte load)"},
      {"strchr-past-end", "strchr", "0x1fff0 in linear memory 0 of size 0x20000 (17-byte load)"},
      {"strstr-past-end", "strstr", "0x1ffd8 in linear memory 0 of size 0x20000 (41-byte load)"},
      {"strcpy-past-end", "strcpy", "0x1fff0 in linear memory 0 of size 0x20000 (17-byte load)"},
  };
  for (const PastEndCase& c : kCases) {
    SCOPED_TRACE(c.arg);
    EXPECT_EQ(cli_.Run({"run", Program(), c.arg}), kExitTrap) << cli_.out.str();
    std::string err = cli_.err.str();
    EXPECT_NE(err.find("wasm trap: out of bounds memory access"), std::string::npos) << err;
    EXPECT_NE(err.find(std::string("  0: ")), std::string::npos) << err;
    EXPECT_NE(err.find(std::string("libc_strings.wasm!") + c.function + " "), std::string::npos)
        << err;
    EXPECT_NE(err.find(std::string("  memory fault at wasm address ") + c.access + "\n"),
              std::string::npos)
        << err;
    EXPECT_NE(err.find(std::string("!") + c.function + " (wasmgrind's native replacement"),
              std::string::npos)
        << err;

    // Before touching memory: an explicit check, not a fault on the guard page.
    EXPECT_EQ(cli_.Run({"run", "--fault-report", Program(), c.arg}), kExitTrap);
    EXPECT_NE(cli_.err.str().find("explicit check (no signal)"), std::string::npos)
        << cli_.err.str();

    EXPECT_EQ(cli_.Run({"run", kWithout, Program(), c.arg}), kExitTrap) << cli_.out.str();
    EXPECT_NE(cli_.err.str().find("memory fault at wasm address"), std::string::npos)
        << cli_.err.str();
  }
}

}  // namespace
}  // namespace wasmgrind
