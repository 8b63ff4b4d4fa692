// Uninitialised value: a local that a helper leaves unset on one path picks a value with ?:
// (a select in wasm, a conditional move natively at -O2).
// EXPECT: UninitCondition line=20 origin=stack:17
// RUN: exit=0
#include <stdio.h>

static volatile int have_limit = 0;

__attribute__((noinline)) static void read_limit(int *limit) {
  if (have_limit) *limit = 100;
}

static volatile int request = 50;

// The ?: and the test of its result share a line: Valgrind passes an undefined condition
// through a conditional move without a report and reports the branch that follows.
__attribute__((noinline)) static void clamp_and_print(int value) {
  int limit;
  read_limit(&limit);
  if ((value > limit ? limit : value) > 0) puts("positive");
}

int main(void) {
  clamp_and_print(request);
  return 0;
}
