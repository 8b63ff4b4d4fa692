// Use after free: a read through a pointer to a freed block.
// EXPECT: InvalidRead size=4 line=12 addr=freed:8:20
// RUN: exit=0
#include <stdlib.h>

static volatile int sink;

int main(void) {
  int *volatile p = malloc(5 * sizeof(int));
  for (int i = 0; i < 5; ++i) p[i] = i;
  free(p);
  sink = p[2];
  return 0;
}
