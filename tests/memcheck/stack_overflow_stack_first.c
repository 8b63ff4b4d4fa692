// Stack overflow with the stack placed first in memory (-Wl,--stack-first): the stack pointer
// would wrap below address 0.
// LINK-FLAGS: -Wl,--stack-first
// EXPECT: StackOverflow fn=walk
// EXPECT-NATIVE: none
// DIFFERS: the native stack is 8 MiB, so 300 frames of 512 bytes fit.
// RUN: trap=stack overflow: walk needs the C stack
#include <string.h>

static volatile int depth = 300;

__attribute__((noinline)) static int walk(int n) {
  char path[512];
  memset(path, 'a' + n % 26, sizeof path);
  if (n == 0) return path[0];
  return walk(n - 1) + path[n % 512] - path[0];
}

int main(void) {
  return walk(depth) == 'a' ? 0 : 1;
}
