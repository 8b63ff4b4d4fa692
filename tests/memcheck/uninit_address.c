// Uninitialised value: an index read from a malloc'd array that was never filled selects the
// element of a table to load: an address computed from undefined bits.
// EXPECT: UninitValue line=18 origin=heap:22
// RUN: exit=0
#include <stdio.h>
#include <stdlib.h>

static const int squares[16] = {0, 1, 4, 9, 16, 25, 36, 49, 64, 81, 100, 121, 144, 169, 196, 225};
static volatile int sink;
static unsigned char *volatile last;

__attribute__((noinline)) static void fill_some(unsigned char *indexes, int n) {
  for (int i = 0; i < n; i += 2) indexes[i] = (unsigned char)i;  // every other one only
}

__attribute__((noinline)) static void sum_squares(const unsigned char *indexes, int n) {
  for (int i = 0; i < n; ++i)
    sink += squares[indexes[i] & 15];
}

int main(void) {
  unsigned char *indexes = malloc(8);
  last = indexes;
  fill_some(indexes, 8);
  sum_squares(indexes, 8);
  free(indexes);
  return 0;
}
