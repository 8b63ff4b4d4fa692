// The same unbounded recursion with -Wl,--stack-first (the stack below the data, from address
// 0): without the check the stack pointer would wrap past 0.
// link-flags: -Wl,--stack-first
// expect-trap: CStackOverflow
// expect-detail: stack overflow: burn needs the C stack
// expect-detail: , below the data)
// expect-frames: burn stack_overflow_first.c:11 | burn stack_overflow_first.c:14
#include <stdio.h>
#include <string.h>

__attribute__((noinline)) int burn(int n) {
  char buffer[256];
  memset(buffer, n, sizeof buffer);
  return n < 0 ? 0 : burn(n + 1) + buffer[n % 256];  // n < 0: never (no -Winfinite-recursion)
}

int main(int argc, char **argv) {
  (void)argv;
  printf("%d\n", burn(argc));
  return 0;
}
// Under --memcheck (last, not to move the lines above):
// expect-signal: SIGSEGV
