// Heap overflow read: a summing loop with `<=` reads one element past a block of 8 shorts.
// EXPECT: InvalidRead size=2 line=10 addr=after:0:16
// RUN: exit=0
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static int sum(const short *values, int n) {
  int total = 0;
  for (int i = 0; i <= n; ++i)
    total += values[i];
  return total;
}

int main(void) {
  short *values = malloc(8 * sizeof(short));
  for (int i = 0; i < 8; ++i) values[i] = (short)i;
  volatile int total = sum(values, 8);
  (void)total;
  free(values);
  return 0;
}
