// Heap overflow into a live neighbour: a copy loop that runs past its block while the next
// block is still in use.
// EXPECT: InvalidWrite size=1 line=12 addr=after:0:8
// RUN: exit=0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static void copy_name(char *dst, const char *src) {
  #pragma clang loop vectorize(disable) unroll(disable)
  for (size_t i = 0; src[i] != '\0'; ++i)
    dst[i] = src[i];  // no room check, no terminator
}

int main(void) {
  char *name = malloc(8);
  char *next = malloc(8);
  memset(name, 0, 8);
  strcpy(next, "next");
  copy_name(name, "ABCDEFGHI");
  int ok = strcmp(next, "next") == 0;
  free(name);
  free(next);
  return ok ? 0 : 1;
}
