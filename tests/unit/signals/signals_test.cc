// Tests of src/signals: the fault registry's lookups and the signal handler's "not ours"
// path (a fault outside JIT code still kills the process with SIGSEGV).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>

#include "signals/fault_registry.h"
#include "signals/frame_walker.h"
#include "signals/jump_target.h"
#include "signals/memory_registry.h"

namespace wasmgrind::signals {
namespace {

// An address that faults on access: a PROT_NONE page (not null, which UBSan would catch first).
volatile int* InaccessibleAddress() {
  void* page = mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return static_cast<volatile int*>(page);
}

// The owner of the registered code range holding `pc`, or null.
const void* CodeOwnerAt(uintptr_t pc) {
  CodeRange range;
  return FindCodeRange(pc, &range) ? range.owner : nullptr;
}

TEST(FaultRegistry, FindsRegisteredRanges) {
  int owner_a = 0, owner_b = 0;
  RegisterCodeRange({0x10000, 0x10100, &owner_a});
  RegisterCodeRange({0x20000, 0x20400, &owner_b});
  ASSERT_TRUE(FindCodeRange(0x10000));
  EXPECT_EQ(CodeOwnerAt(0x10000), &owner_a);
  EXPECT_EQ(CodeOwnerAt(0x100ff), &owner_a);
  EXPECT_FALSE(FindCodeRange(0x10100));  // end is exclusive
  EXPECT_FALSE(FindCodeRange(0xffff));
  EXPECT_EQ(CodeOwnerAt(0x20200), &owner_b);
  EXPECT_FALSE(FindCodeRange(0x30000));

  UnregisterCodeRange(0x10000);
  EXPECT_FALSE(FindCodeRange(0x10010));
  EXPECT_EQ(CodeOwnerAt(0x20010), &owner_b);
  UnregisterCodeRange(0x20000);
  EXPECT_FALSE(FindCodeRange(0x20010));
}

TEST(FaultRegistry, AdjacentRangesKeepTheirOwners) {
  int a = 0, b = 0;
  RegisterCodeRange({0x50000, 0x51000, &a});
  RegisterCodeRange({0x51000, 0x52000, &b});
  EXPECT_EQ(CodeOwnerAt(0x50fff), &a);
  EXPECT_EQ(CodeOwnerAt(0x51000), &b);
  UnregisterCodeRange(0x50000);
  UnregisterCodeRange(0x51000);
  EXPECT_FALSE(FindCodeRange(0x51000));
}

TEST(FaultRegistry, IgnoresEmptyAndUnknownRanges) {
  RegisterCodeRange({0x70000, 0x70000, nullptr});
  EXPECT_FALSE(FindCodeRange(0x70000));
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

TEST(MemoryRegistry, FindsTheMemoryAndItsCurrentLength) {
  int owner_a = 0, owner_b = 0;
  uint64_t length_a = 0x10000, length_b = 0x20000;
  RegisterMemoryRange({0x100000, 0x200000, &owner_a, &length_a});
  RegisterMemoryRange({0x200000, 0x300000, &owner_b, &length_b});
  MemoryRange found;
  uint64_t length = 0;
  ASSERT_TRUE(FindMemoryRange(0x1ffff0, &found, &length));
  EXPECT_EQ(found.owner, &owner_a);
  EXPECT_EQ(found.begin, 0x100000u);
  EXPECT_EQ(length, 0x10000u);
  length_b = 0x30000;  // grown: the lookup reads the current length
  ASSERT_TRUE(FindMemoryRange(0x200000, &found, &length));
  EXPECT_EQ(found.owner, &owner_b);
  EXPECT_EQ(length, 0x30000u);
  EXPECT_FALSE(FindMemoryRange(0x300000, &found, &length));
  EXPECT_FALSE(FindMemoryRange(0xfffff, &found, &length));
  UnregisterMemoryRange(0x100000);
  EXPECT_FALSE(FindMemoryRange(0x100000, &found, &length));
  UnregisterMemoryRange(0x200000);
  EXPECT_FALSE(FindMemoryRange(0x200000, &found, &length));
}

// A hand-made chain of frames on this stack: [fp] = next fp, [fp + 8] = return address.
TEST(FrameWalker, FollowsFramePointersWhileReturnAddressesAreJitCode) {
  int owner = 0;
  RegisterCodeRange({0x40000, 0x41000, &owner});
  alignas(16) uintptr_t stack[16] = {};
  auto at = [&](int i) { return reinterpret_cast<uintptr_t>(&stack[i]); };
  stack[0] = at(4);
  stack[1] = 0x40010;  // frame 1
  stack[4] = at(8);
  stack[5] = 0x40020;  // frame 2
  stack[8] = at(12);
  stack[9] = 0x12345;  // host code: the walk stops
  uintptr_t out[8];
  uint32_t n = WalkJitFrames(0x40004, at(0), at(0), at(16), out, 8);
  ASSERT_EQ(n, 3u);
  EXPECT_EQ(out[0], 0x40004u);
  EXPECT_EQ(out[1], 0x40010u);
  EXPECT_EQ(out[2], 0x40020u);
  EXPECT_EQ(WalkJitFrames(0x40004, at(0), at(0), at(16), out, 2), 2u);  // bounded depth
  EXPECT_EQ(WalkJitFrames(0x99999, at(0), at(0), at(16), out, 8), 0u);  // pc not JIT code
  stack[4] = at(2);  // a frame pointer going down the stack ends the walk
  EXPECT_EQ(WalkJitFrames(0x40004, at(0), at(0), at(16), out, 8), 3u);
  EXPECT_EQ(WalkJitFrames(0x40004, at(0) + 4, at(0), at(16), out, 8), 1u);  // misaligned
  UnregisterCodeRange(0x40000);
}

// A chain deeper than `max`, walked with `skipped`: the innermost max - max/4 frames, then the
// outermost max/4 in order, and the count of those left out between them.
TEST(FrameWalker, DeepChainKeepsBothEndsAndCountsTheRest) {
  int owner = 0;
  RegisterCodeRange({0x40000, 0x50000, &owner});
  constexpr size_t kFrames = 30;  // plus the pc: 31 frames
  alignas(16) uintptr_t stack[2 * kFrames + 2] = {};
  auto at = [&](size_t i) { return reinterpret_cast<uintptr_t>(&stack[i]); };
  for (size_t f = 0; f < kFrames; ++f) {
    stack[2 * f] = at(2 * f + 2);
    stack[2 * f + 1] = 0x40000 + 0x10 * (f + 1);  // return address of frame f + 1
  }
  stack[2 * kFrames - 1] = 0x40000 + 0x10 * kFrames;
  stack[2 * kFrames] = 0;
  stack[2 * kFrames + 1] = 0x12345;  // host code: the walk stops
  uintptr_t out[8];
  uint32_t skipped = 99;
  ASSERT_EQ(WalkJitFrames(0x40000, at(0), at(0), at(2 * kFrames + 2), out, 8, &skipped), 8u);
  EXPECT_EQ(skipped, 31u - 8u);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(out[i], 0x40000u + 0x10 * i) << i;  // innermost 6
  EXPECT_EQ(out[6], 0x40000u + 0x10 * 29);                                  // outermost 2, in order
  EXPECT_EQ(out[7], 0x40000u + 0x10 * 30);
  // A chain that fits is walked as without `skipped`.
  ASSERT_EQ(WalkJitFrames(0x40000, at(46), at(0), at(2 * kFrames + 2), out, 8, &skipped), 8u);
  EXPECT_EQ(skipped, 0u);
  EXPECT_EQ(out[7], 0x40000u + 0x10 * 30);
  UnregisterCodeRange(0x40000);
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
