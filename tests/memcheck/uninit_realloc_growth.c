// Uninitialised value: realloc grows an array and a loop reads the new element nobody wrote.
// EXPECT: UninitCondition line=21 origin=heap:12
// RUN: exit=0
#include <stdio.h>
#include <stdlib.h>

static int *volatile last;

__attribute__((noinline)) static int *grow(int *items, size_t count) {
  // The new part of the block (from count / 2 on) is left for the caller to fill; this caller
  // forgets the last element.
  int *grown = realloc(items, count * sizeof *grown);
  last = grown;
  return grown;
}

// Prints the negative items (a call in each branch, so that no optimizer makes the branch
// arithmetic).
__attribute__((noinline)) static void print_negative(const int *items, size_t count) {
  for (size_t i = 0; i < count; ++i)
    if (items[i] < 0) printf("items[%zu] is negative\n", i);
}

int main(void) {
  int *items = malloc(4 * sizeof *items);
  for (int i = 0; i < 4; ++i) items[i] = -i;
  items = grow(items, 8);
  for (int i = 4; i < 7; ++i) items[i] = i;  // items[7] is never written
  print_negative(items, 8);
  free(items);
  return 0;
}
