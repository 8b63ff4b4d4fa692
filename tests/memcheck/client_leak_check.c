// Client requests: a leak search mid-run (VALGRIND_DO_LEAK_CHECK) reports the block lost by
// then and not the one main still holds (at -O2 only in a local: a register or the native
// stack); VALGRIND_COUNT_LEAKS and COUNT_LEAK_BLOCKS return its totals; a later
// VALGRIND_DO_ADDED_LEAK_CHECK reports the new loss only. The lost blocks' addresses are kept
// hidden (inverted) and freed before exit, so the exit's search finds nothing. A wrong count
// ends the program with a non-zero status. (The two searches' records, 24 and 40 bytes, are
// summed: both were allocated on one line.)
// EXPECT: Leak_DefinitelyLost line=18 bytes=64 blocks=2
// RUN: exit=0
#include <stdint.h>
#include <stdlib.h>
#include <wasmgrind/memcheck.h>

static uintptr_t hidden[2];

// The block's address survives only inverted, where no leak search takes it for a pointer.
__attribute__((noinline)) static void Lose(int slot, size_t n) {
  hidden[slot] = ~(uintptr_t)malloc(n);
}

// Opaque to the optimizer, so that the block main holds is not optimized away.
__attribute__((weak, noinline)) void Touch(char *p) { p[0] = 1; }

int main(void) {
  unsigned long leaked0, dubious0, reachable0, suppressed0, blocks0, unused;
  unsigned long leaked, dubious, reachable, suppressed, blocks;
  // What the C library holds before main is the baseline.
  VALGRIND_DO_QUICK_LEAK_CHECK;
  VALGRIND_COUNT_LEAKS(leaked0, dubious0, reachable0, suppressed0);
  VALGRIND_COUNT_LEAK_BLOCKS(blocks0, unused, unused, unused);
  (void)unused;
  const unsigned on = RUNNING_ON_VALGRIND;

  Lose(0, 24);
  char *held = malloc(16);
  Touch(held);
  VALGRIND_DO_LEAK_CHECK;
  VALGRIND_COUNT_LEAKS(leaked, dubious, reachable, suppressed);
  if (on && (leaked - leaked0 != 24 || reachable - reachable0 != 16 || dubious != dubious0 ||
             suppressed != suppressed0)) {
    return 1;
  }
  VALGRIND_COUNT_LEAK_BLOCKS(blocks, unused, unused, unused);
  if (on && blocks - blocks0 != 1) return 2;

  Lose(1, 40);
  VALGRIND_DO_ADDED_LEAK_CHECK;
  VALGRIND_COUNT_LEAKS(leaked, dubious, reachable, suppressed);
  if (on && leaked - leaked0 != 64) return 3;

  held[15] = 2;
  const int sum = held[0] + held[15];
  free(held);
  free((void *)~hidden[0]);
  free((void *)~hidden[1]);
  return sum == 3 ? 0 : 4;
}
