// Double free: the same block freed twice.
// EXPECT: InvalidFree line=10 addr=freed:0:24
// RUN: exit=0
#include <stdlib.h>

int main(void) {
  char *volatile p = malloc(24);
  p[0] = 'x';
  free(p);
  free(p);
  return 0;
}
