// Correct: undefined values that never decide anything: an uninitialised local and heap
// bytes computed with, stored and copied, but masked out (x & 0) or overwritten before use.
// EXPECT: none
// RUN: exit=0
#include <stdio.h>
#include <stdlib.h>

static volatile int sink;

int main(void) {
  int *scratch = malloc(16 * sizeof *scratch);
  int garbage = scratch[3];        // undefined, fine to load
  int masked = (garbage & 0) + 7;  // every bit defined again
  scratch[3] = garbage + 1;        // stored back, still undefined, never read again
  int copy[16];
  for (int i = 0; i < 16; ++i) copy[i] = scratch[i];  // copying is no use
  copy[0] = 42;                     // overwritten before the decision below
  sink = 1;
  free(scratch);
  printf("never used ok: %d\n", masked);
  return masked == 7 && copy[0] == 42 ? 0 : 1;
}
