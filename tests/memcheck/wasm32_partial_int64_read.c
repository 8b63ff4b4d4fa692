// A bug only wasm32 has: a long (4 bytes on wasm32) read as an int64_t. The load is aligned and
// half of it is the block's, but an 8-byte load is two words on wasm32, so Valgrind's
// --partial-loads-ok exemption (aligned word loads) does not cover it: an invalid read.
// EXPECT: InvalidRead size=8 line=15 addr=inside:0:4
// EXPECT-NATIVE: none
// DIFFERS: sizeof(long) is 8 natively, so the 8-byte load is all inside its block there.
// RUN: exit=0
#include <stdint.h>
#include <stdlib.h>

static volatile int64_t sink;

int main(void) {
  long *volatile slot = calloc(1, sizeof(long));
  sink = *(volatile int64_t *)slot;
  free(slot);
  return 0;
}
