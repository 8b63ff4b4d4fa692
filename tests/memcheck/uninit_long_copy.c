// Uninitialised value: a long buffer written whole and copied twice (wasmgrind then knows both
// defined without reading them) gets one undefined int stored into its middle; the next copy
// carries it, and a branch on the copy depends on it.
// EXPECT: UninitCondition line=23 origin=heap:16
// RUN: exit=0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile size_t length = 65536;

int main(void) {
  size_t n = length;
  int *source = malloc(n);
  int *target = malloc(n);
  int *volatile fresh = malloc(sizeof(int));
  memset(source, 0, n);
  memcpy(target, source, n);
  memcpy(target, source, n);
  source[5000] = *fresh;
  memcpy(target, source, n);
  int *volatile copy = target;
  if (copy[5000] == 42) puts("42");
  free(fresh);
  free(target);
  free(source);
  return 0;
}
