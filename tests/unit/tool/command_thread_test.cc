// The command thread: --max-wasm-stack's parser, and the thread a command runs on gets a stack
// sized for the wasm budget whatever the process's own limits are.
#include "command_thread.h"

#include <gtest/gtest.h>
#include <pthread.h>

#include <sstream>

#include "exit_codes.h"
#include "signals/jump_target.h"

namespace wasmgrind {
namespace {

TEST(CommandThreadTest, ParsesByteCountsWithBinarySuffixes) {
  EXPECT_EQ(*ParseMaxWasmStack("4096"), 4096u);
  EXPECT_EQ(*ParseMaxWasmStack("64k"), 64u << 10);
  EXPECT_EQ(*ParseMaxWasmStack("64K"), 64u << 10);
  EXPECT_EQ(*ParseMaxWasmStack("3M"), 3u << 20);
  EXPECT_EQ(*ParseMaxWasmStack("1g"), 1u << 30);
  EXPECT_EQ(*ParseMaxWasmStack("1073741824"), 1u << 30);
  for (const char* bad :
       {"", "4095", "1025m", "2G", "1.5M", "64KiB", "-1", " 64K", "64K ", "k", "999999999999",
        "17179869185G" /* 2^64 + 1 GiB */, "99999999999999999999"}) {
    auto r = ParseMaxWasmStack(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::Usage);
    EXPECT_NE(r.error().message.find("--max-wasm-stack"), std::string::npos) << r.error().message;
  }
}

size_t CurrentThreadStackSize() {
  pthread_attr_t attr;
  size_t size = 0;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    pthread_attr_getstacksize(&attr, &size);
    pthread_attr_destroy(&attr);
  }
  return size;
}

TEST(CommandThreadTest, RunsTheCommandOnAStackSizedForTheBudget) {
  std::ostringstream err;
  for (uint64_t budget : {uint64_t{64} << 10, uint64_t{256} << 20}) {
    size_t stack = 0;
    int status = RunOnCommandThread(
        budget,
        [&] {
          stack = CurrentThreadStackSize();
          return 42;
        },
        err);
    EXPECT_EQ(status, 42);
    EXPECT_GE(stack, kCommandHostStack + budget + signals::kHostStackReserve);
  }
  EXPECT_EQ(err.str(), "");
}

TEST(CommandThreadTest, FixesTheDefaultStackOfLaterThreads) {
  UseFixedDefaultThreadStack();
  pthread_attr_t attr;
  ASSERT_EQ(pthread_getattr_default_np(&attr), 0);
  size_t size = 0;
  pthread_attr_getstacksize(&attr, &size);
  pthread_attr_destroy(&attr);
  EXPECT_EQ(size, kCommandHostStack);
}

}  // namespace
}  // namespace wasmgrind
