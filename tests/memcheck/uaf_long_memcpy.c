// Use after free: memcpy from a long block after its free. Two earlier copies checked the
// block whole, so wasmgrind knows its chunks addressable without reading them again: the
// free must make it look again. (Page-aligned, so that the block is whole chunks only.) (Valgrind's memmove reads in words, four loads to a loop, and
// reports each as its own context at offsets 0, 8, 16 and 24, so no address is given here.)
// EXPECT: InvalidRead line=22
// RUN: exit=0
#include <stdlib.h>
#include <string.h>

static volatile size_t length = 65536;
static volatile char sink;

int main(void) {
  size_t n = length;
  char *source = aligned_alloc(4096, n);
  char *target = malloc(n);
  char *volatile stale = source;
  memset(source, 'a', n);
  memcpy(target, source, n);
  memcpy(target, source, n);
  free(source);
  memcpy(target, stale, n);
  sink = target[100];
  free(target);
  return 0;
}
