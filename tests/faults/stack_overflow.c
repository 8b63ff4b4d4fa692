// Unbounded recursion with a stack frame in linear memory, in clang's default layout (the stack
// above the data): without the check it would overwrite the data below the stack.
// expect-trap: CStackOverflow
// expect-detail: stack overflow: burn needs the C stack
// expect-detail: , above the data)
// expect-frames: burn stack_overflow.c:10 | burn stack_overflow.c:13
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
