// A bug only wasm32 has: an array sized with sizeof(long) (4 on wasm32) filled with 8-byte
// values.
// EXPECT: InvalidWrite size=8 line=12 addr=after:0:16
// EXPECT-NATIVE: none
// DIFFERS: long is 8 bytes natively, so four 8-byte values fit in 4 * sizeof(long).
// RUN: exit=0
#include <stdlib.h>

__attribute__((noinline)) static void fill(long long *values, int n) {
  #pragma clang loop vectorize(disable) unroll(disable)
  for (int i = 0; i < n; ++i)
    values[i] = i;
}

int main(void) {
  long long *values = malloc(4 * sizeof(long));
  fill(values, 4);
  free(values);
  return 0;
}
