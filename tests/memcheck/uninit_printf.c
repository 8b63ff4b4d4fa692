// Uninitialised value: printf of a local nobody set: Valgrind reports inside vfprintf's
// frames (the digits it computes decide branches) with the user's line further up the stack.
// EXPECT: UninitCondition|UninitValue line=27 origin=stack:24
// EXPECT: SyscallParam line=27 origin=stack:24
// EXPECT-NATIVE: UninitCondition|UninitValue line=27 origin=stack:24
// DIFFERS: wasi-libc's printf (musl's) computes each digit from the value ('0' + x % 10), so
// DIFFERS: the digits it hands to fd_write are undefined too (reported in the same printf
// DIFFERS: call: stdout is line buffered). glibc's looks each digit up in a table, and what a
// DIFFERS: load through an undefined index reads is defined to Valgrind (it reports the index
// DIFFERS: instead), so its write() passes defined bytes.
// RUN: exit=0
#include <stdio.h>

static volatile int ready = 0;
static volatile int printed;

__attribute__((noinline)) static void measure(int *samples) {
  if (ready)
    for (int i = 0; i < 4; ++i) samples[i] = i;
}

// Every report is in printf's code (conditional jumps on the value and uses of it as an
// index): each has this line as its first frame in this file.
__attribute__((noinline)) static void print_first(void) {
  int samples[4];
  measure(samples);
  printf("first sample: %d\n", samples[0]);
  printed = 1;  // keeps printf from being a tail call (natively a jump, without this frame)
}

int main(void) {
  print_first();
  return 0;
}
