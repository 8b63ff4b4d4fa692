// Integer division by zero in a function that -O2 inlines, twice deep: each inlined frame must
// show its own function and line.
// expect-trap: IntegerDivideByZero
// expect-frames: share inline_divide.c:11 | split inline_divide.c:15 | main inline_divide.c:21
#include <stdio.h>

static int parts;

static int share(int total, int n) {
  parts += n;
  return total / n;
}

static int split(int total, int n) {
  return share(total, n) + 1;
}

int main(int argc, char **argv) {
  (void)argv;
  int n = argc - 1;  // 0: no arguments
  printf("%d\n", split(100, n));
  return parts;
}
// Under --memcheck (last, not to move the lines above):
// expect-signal: SIGFPE
