// Invalid free: the address of a local array.
// EXPECT: InvalidFree line=10 addr=stack
// RUN: exit=0
#include <stdlib.h>
#include <string.h>

static volatile int released;

__attribute__((noinline)) static void release(char *p) {
  free(p);
  released = 1;  // keeps free from being a tail call (natively a jump, without this frame)
}

__attribute__((noinline)) static int work(void) {
  char local[48];
  strcpy(local, "on the stack");
  release(local);
  return local[0];
}

int main(void) {
  return work() == 'o' ? 0 : 1;
}
