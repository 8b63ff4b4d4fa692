// Tests of src/signals: the fault registry's lookups and the signal handler's "not ours"
// path (a fault outside JIT code still kills the process with SIGSEGV).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>

#include "signals/fault_registry.h"
#include "signals/jump_target.h"

namespace wasmgrind::signals {
namespace {

// An address that faults on access: a PROT_NONE page (not null, which UBSan would catch first).
volatile int* InaccessibleAddress() {
  void* page = mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return static_cast<volatile int*>(page);
}

TEST(FaultRegistry, FindsRegisteredRanges) {
  int owner_a = 0, owner_b = 0;
  RegisterCodeRange({0x10000, 0x10100, &owner_a});
  RegisterCodeRange({0x20000, 0x20400, &owner_b});
  ASSERT_NE(FindCodeRange(0x10000), nullptr);
  EXPECT_EQ(FindCodeRange(0x10000)->owner, &owner_a);
  EXPECT_EQ(FindCodeRange(0x100ff)->owner, &owner_a);
  EXPECT_EQ(FindCodeRange(0x10100), nullptr);  // end is exclusive
  EXPECT_EQ(FindCodeRange(0xffff), nullptr);
  EXPECT_EQ(FindCodeRange(0x20200)->owner, &owner_b);
  EXPECT_EQ(FindCodeRange(0x30000), nullptr);

  UnregisterCodeRange(0x10000);
  EXPECT_EQ(FindCodeRange(0x10010), nullptr);
  EXPECT_EQ(FindCodeRange(0x20010)->owner, &owner_b);
  UnregisterCodeRange(0x20000);
  EXPECT_EQ(FindCodeRange(0x20010), nullptr);
}

TEST(FaultRegistry, AdjacentRangesKeepTheirOwners) {
  int a = 0, b = 0;
  RegisterCodeRange({0x50000, 0x51000, &a});
  RegisterCodeRange({0x51000, 0x52000, &b});
  EXPECT_EQ(FindCodeRange(0x50fff)->owner, &a);
  EXPECT_EQ(FindCodeRange(0x51000)->owner, &b);
  UnregisterCodeRange(0x50000);
  UnregisterCodeRange(0x51000);
  EXPECT_EQ(FindCodeRange(0x51000), nullptr);
}

TEST(FaultRegistry, IgnoresEmptyAndUnknownRanges) {
  RegisterCodeRange({0x70000, 0x70000, nullptr});
  EXPECT_EQ(FindCodeRange(0x70000), nullptr);
  UnregisterCodeRange(0x12345);  // not registered: no effect
}

TEST(Signals, ThreadStackBoundsContainTheCurrentFrame) {
  StackBounds stack = CurrentThreadStack();
  int local = 0;
  auto addr = reinterpret_cast<uintptr_t>(&local);
  EXPECT_LT(stack.lo, addr);
  EXPECT_GT(stack.hi, addr);
}

TEST(Signals, InstallIsIdempotentAndNoJumpTargetOutsideWasm) {
  InstallHandlers();
  InstallHandlers();
  EnsureAltStack();
  EnsureAltStack();
  EXPECT_EQ(CurrentJumpTarget(), nullptr);
  stack_t ss;
  ASSERT_EQ(sigaltstack(nullptr, &ss), 0);
  EXPECT_EQ(ss.ss_flags & SS_DISABLE, 0);
}

// A fault outside JIT code is not ours: the process dies of SIGSEGV as it would without us.
TEST(SignalsDeathTest, FaultOutsideJitCodeStillKillsTheProcess) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        InstallHandlers();
        EnsureAltStack();
        *InaccessibleAddress() = 1;
      },
      testing::KilledBySignal(SIGSEGV), "");
}

// Even inside a wasm activation, a fault whose PC is not JIT code is not ours.
TEST(SignalsDeathTest, FaultInHostCodeDuringActivationIsNotOurs) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        InstallHandlers();
        JumpTarget target;
        SetCurrentJumpTarget(&target);
        if (sigsetjmp(target.buf, 0) != 0) _exit(3);  // would mean we wrongly claimed it
        *InaccessibleAddress() = 1;
      },
      testing::KilledBySignal(SIGSEGV), "");
}

// Signals sent with kill() are re-raised with the default action too.
TEST(SignalsDeathTest, KillSentSigsegvStillKills) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        InstallHandlers();
        raise(SIGSEGV);
        _exit(0);
      },
      testing::KilledBySignal(SIGSEGV), "");
}

}  // namespace
}  // namespace wasmgrind::signals
