// Possibly lost: a block reachable only through a pointer with a tag in its low bit.
// EXPECT: Leak_PossiblyLost bytes=32 blocks=1 line=12
// RUN: exit=0
#include <stdint.h>
#include <stdlib.h>

static uintptr_t tagged;

__attribute__((noinline)) static void make_tagged(void) {
  // The tag makes the stored value an interior pointer (one byte in): possibly lost, not
  // definitely.
  int *value = calloc(8, sizeof(int));
  value[0] = 5;
  tagged = (uintptr_t)value | 1;
}

int main(void) {
  make_tagged();
  const int *value = (const int *)(tagged & ~(uintptr_t)1);
  return value[0] == 5 ? 0 : 1;
}
