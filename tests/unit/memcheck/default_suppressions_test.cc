// The built-in suppressions: wasi-libc's startup blocks (argv, environ) and nothing of the
// program's own.
#include "memcheck/default_suppressions.h"

#include <gtest/gtest.h>

namespace wasmgrind::memcheck {
namespace {

SymbolizedFrame Fn(std::string name) {
  SymbolizedFrame f;
  f.function = std::move(name);
  return f;
}

bool Suppressed(ErrorKind kind, const std::vector<SymbolizedFrame>& stack) {
  MemcheckError e;
  e.kind = kind;
  for (const Suppression& s : DefaultSuppressions()) {
    if (SuppressionMatches(s, e, stack)) return true;
  }
  return false;
}

TEST(DefaultSuppressionsTest, AllParse) { EXPECT_EQ(DefaultSuppressions().size(), 4u); }

TEST(DefaultSuppressionsTest, StartupBlocksOfWasiLibc) {
  const ErrorKind lost = ErrorKind::LeakDefinitelyLost;
  EXPECT_TRUE(Suppressed(lost, {Fn("malloc"), Fn("__main_void"), Fn("_start")}));
  EXPECT_TRUE(Suppressed(ErrorKind::LeakIndirectlyLost,
                         {Fn("dlcalloc"), Fn("calloc"), Fn("__main_void"), Fn("_start")}));
  EXPECT_TRUE(Suppressed(ErrorKind::LeakStillReachable,
                         {Fn("calloc"), Fn("__wasilibc_initialize_environ"), Fn("getenv")}));
}

TEST(DefaultSuppressionsTest, NotTheProgramsOwnBlocksNorOtherErrors) {
  const ErrorKind lost = ErrorKind::LeakDefinitelyLost;
  EXPECT_FALSE(Suppressed(lost, {Fn("malloc"), Fn("main"), Fn("__main_void")}));
  EXPECT_FALSE(Suppressed(lost, {Fn("dlcalloc"), Fn("calloc"), Fn("main"), Fn("__main_void")}));
  EXPECT_FALSE(Suppressed(lost, {Fn("malloc"), Fn("strdup"), Fn("__main_void")}));
  EXPECT_FALSE(Suppressed(ErrorKind::InvalidWrite, {Fn("malloc"), Fn("__main_void")}));
}

}  // namespace
}  // namespace wasmgrind::memcheck
