// Uninitialised value: memcpy moves a heap buffer, undefined bytes and all, into a second one;
// a byte the first never had decides a branch on the copy.
// EXPECT: UninitCondition line=19 origin=heap:14
// RUN: exit=0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *volatile last;
static volatile size_t length = 8;

int main(void) {
  size_t n = length;
  char *source = malloc(n);
  last = source;
  memcpy(source, "abc", 3);  // bytes 3..7 undefined
  char *copy = malloc(n);
  memcpy(copy, source, n);
  if (copy[5] == 'x') puts("x at 5");
  free(copy);
  free(source);
  return 0;
}
