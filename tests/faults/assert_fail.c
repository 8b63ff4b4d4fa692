// A failed assert prints its message, then calls abort().
// expect-trap: Unreachable
// expect-detail: the program called abort()
// expect-frames: abort | __assert_fail | check_positive assert_fail.c:10 | main assert_fail.c:16
#include <assert.h>
#include <stdio.h>

__attribute__((noinline)) static int check_positive(int v) {
  fflush(stdout);
  assert(v > 0 && "the count must be positive");
  return v;
}

int main(int argc, char **argv) {
  (void)argv;
  return check_positive(argc - 1);
}
// Under --memcheck (last, not to move the lines above):
// expect-signal: SIGABRT
