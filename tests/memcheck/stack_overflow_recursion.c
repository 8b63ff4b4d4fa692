// Stack overflow: recursion 200 deep with a 1 KiB buffer in each frame needs about 200 KiB of
// C stack; wasm-ld gives a program 64 KiB.
// EXPECT: StackOverflow fn=descend
// EXPECT-NATIVE: none
// DIFFERS: the native stack is 8 MiB, so 200 KiB of frames fit.
// RUN: trap=stack overflow: descend needs the C stack
#include <string.h>

static volatile int depth = 200;

__attribute__((noinline)) static int descend(int n) {
  char buffer[1024];
  memset(buffer, n, sizeof buffer);
  if (n == 0) return buffer[0];
  return descend(n - 1) + buffer[n % 1024];
}

int main(void) {
  return descend(depth) == 0 ? 0 : 1;
}
