// Use after free: realloc moves a block and the caller keeps using the old pointer.
// EXPECT: InvalidWrite size=4 line=14 addr=freed:0:16
// RUN: exit=0
#include <stdlib.h>

int main(void) {
  int *volatile items = malloc(4 * sizeof(int));
  int *volatile alias = items;
  for (int i = 0; i < 4; ++i) items[i] = i;
  void *blocker = malloc(16);  // keeps the block from growing in place
  items = realloc(items, 4096 * sizeof(int));
  if (items == NULL)
    return 1;
  alias[0] = 42;
  free(items);
  free(blocker);
  return 0;
}
