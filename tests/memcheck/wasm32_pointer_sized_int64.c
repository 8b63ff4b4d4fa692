// A bug only wasm32 has: room for one pointer (4 bytes on wasm32) holds an int64_t.
// EXPECT: InvalidWrite size=8 line=11 addr=inside:0:4
// EXPECT-NATIVE: none
// DIFFERS: sizeof(int64_t *) is 8 natively, so the 8-byte store fits its block there.
// RUN: exit=0
#include <stdint.h>
#include <stdlib.h>

int main(void) {
  int64_t *volatile slot = malloc(sizeof(int64_t *));
  *slot = INT64_C(0x1122334455667788);
  free(slot);
  return 0;
}
