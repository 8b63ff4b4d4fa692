// Access to unallocated heap: a lookup table indexed by an unchecked value far past its end.
// EXPECT: InvalidRead size=2 line=9 addr=unallocated
// RUN: exit=0
#include <stdlib.h>

static volatile unsigned short sink;

__attribute__((noinline)) static unsigned short lookup(const unsigned short *table, int key) {
  return table[key];
}

int main(void) {
  unsigned short *table = calloc(32, sizeof *table);
  sink = lookup(table, 3000);
  free(table);
  return 0;
}
