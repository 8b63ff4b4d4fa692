// Heap overflow read: the int just past the end of a block of 10 ints.
// EXPECT: InvalidRead size=4 line=11 addr=after:0:40
// RUN: exit=0
#include <stdlib.h>

static volatile int sink;

int main(void) {
  int *volatile p = malloc(10 * sizeof(int));
  for (int i = 0; i < 10; ++i) p[i] = i;
  sink = p[10];
  free(p);
  return 0;
}
