// Stack: a read through a pointer to a local array of a function that has returned, before
// anything else reuses its frame: the bytes are below the stack pointer.
// EXPECT: InvalidRead size=4 line=22 addr=below-sp
// RUN: exit=0
#include <string.h>

static int *escaped;
static volatile int sink;

__attribute__((noinline)) static void fill(int *values, int n) {
  for (int i = 0; i < n; ++i) values[i] = i;
}

__attribute__((noinline)) static void make_values(void) {
  int values[256];
  fill(values, 256);
  escaped = values;  // the bug: the address outlives the frame
}

int main(void) {
  make_values();
  sink = escaped[3];
  return 0;
}
