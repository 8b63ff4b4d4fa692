// Uninitialised value: an aligned word load reaching past a block is no error (Valgrind's
// --partial-loads-ok=yes, its default), but its bytes past the block read as undefined, and
// one of them decides a branch.
// EXPECT: UninitCondition line=18
// RUN: exit=0
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile int sink;

int main(void) {
  char *s = malloc(5);
  memcpy(s, "abcd", 5);
  const volatile uint32_t *words = (const volatile uint32_t *)s;
  const uint32_t word = words[1];  // byte 4 (the NUL) is the block's, bytes 5 to 7 are not
  if ((word >> 16) == 0x4242) sink = 1;
  free(s);
  return 0;
}
