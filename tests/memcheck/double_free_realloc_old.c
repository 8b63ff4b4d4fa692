// Double free: the old pointer is freed after realloc already freed it (the block moved).
// EXPECT: InvalidFree line=14 addr=freed:0:8
// RUN: exit=0
#include <stdlib.h>

int main(void) {
  char *volatile old = malloc(8);
  old[0] = 1;
  void *blocker = malloc(8);  // keeps the block from growing in place
  char *grown = realloc(old, 1 << 16);
  if (grown == NULL)
    return 1;
  free(grown);
  free(old);
  free(blocker);
  return 0;
}
