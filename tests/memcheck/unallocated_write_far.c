// Access to unallocated heap: a write 8 KiB past the last block.
// EXPECT: InvalidWrite size=8 line=9 addr=unallocated
// RUN: exit=0
#include <stdlib.h>

int main(void) {
  long long *volatile first = malloc(64);
  long long *volatile last = malloc(64);
  last[1024] = 1;
  free(last);
  free(first);
  return 0;
}
