// Heap underflow read: the int just before a block of 4 ints.
// EXPECT: InvalidRead size=4 line=11 addr=before:4:16
// RUN: exit=0
#include <stdlib.h>

static volatile int sink;

int main(void) {
  int *volatile p = malloc(4 * sizeof(int));
  for (int i = 0; i < 4; ++i) p[i] = i;
  sink = p[-1];
  free(p);
  return 0;
}
