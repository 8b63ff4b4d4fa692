// Heap overflow write: the int just past the end of a block of 10 ints.
// EXPECT: InvalidWrite size=4 line=9 addr=after:0:40
// RUN: exit=0
#include <stdlib.h>

int main(void) {
  int *volatile p = malloc(10 * sizeof(int));
  for (int i = 0; i < 10; ++i) p[i] = i;
  p[10] = 10;
  free(p);
  return 0;
}
