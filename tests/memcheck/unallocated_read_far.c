// Access to unallocated heap: a read 4 KiB past the only block, where no block lies.
// EXPECT: InvalidRead size=4 line=10 addr=unallocated
// RUN: exit=0
#include <stdlib.h>

static volatile int sink;

int main(void) {
  int *volatile p = malloc(16);
  sink = p[1024];
  free(p);
  return 0;
}
