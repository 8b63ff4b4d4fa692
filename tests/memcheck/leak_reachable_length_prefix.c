// Leak check: an allocator wrapper (sqlite's, for one) keeps each block's length in its first
// 8 bytes and hands out the bytes after them, so at exit the only pointer to a live block is
// 8 bytes in. Valgrind's length64 heuristic (on by default) counts such a block as still
// reachable, not possibly lost (which would be an error).
// EXPECT: Leak_StillReachable line=15
// VALGRIND: --show-leak-kinds=all
// RUN: exit=0
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static void *SizedAlloc(uint64_t bytes) {
  // The length as a 64-bit number, then the caller's bytes.
  uint64_t *block = malloc(bytes + 8);
  if (!block) return NULL;
  block[0] = bytes;
  return block + 1;
}

static char *volatile cache;  // kept until exit through the interior pointer

int main(void) {
  cache = SizedAlloc(40);
  strcpy(cache, "cached");
  printf("%s\n", cache);
  return 0;
}
