// Heap overflow read: an aligned word load of a block's last byte and the 3 bytes past it,
// under --partial-loads-ok=no, which makes every load reaching past a block an error.
// EXPECT: InvalidRead size=4 line=16 addr=inside:4:5
// VALGRIND: --partial-loads-ok=no
// RUN: exit=0
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static volatile uint32_t sink;

int main(void) {
  char *s = malloc(5);
  memcpy(s, "abcd", 5);
  const volatile uint32_t *words = (const volatile uint32_t *)s;
  sink = words[1] & 0xff;
  free(s);
  return 0;
}
