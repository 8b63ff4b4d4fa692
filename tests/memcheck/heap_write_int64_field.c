// Heap overflow write: an 8-byte store whose last 4 bytes are past a 12-byte block.
// EXPECT: InvalidWrite size=8 line=9 addr=inside:8:12
// RUN: exit=0
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static void store64(char *p, size_t offset, int64_t v) {
  *(int64_t *)(p + offset) = v;
}

int main(void) {
  char *block = malloc(12);
  memset(block, 0, 12);
  store64(block, 8, 0x0102030405060708);
  free(block);
  return 0;
}
