// Stack overflow: one 100 KiB local array, larger than wasm-ld's whole 64 KiB C stack.
// EXPECT: StackOverflow fn=checksum
// EXPECT-NATIVE: none
// DIFFERS: the native stack is 8 MiB, so a 100 KiB frame fits.
// RUN: trap=stack overflow: checksum needs the C stack
#include <string.h>

static volatile int seed = 3;

__attribute__((noinline)) static int sample_sum(const unsigned char *block, size_t size) {
  int sum = 0;
  for (size_t i = 0; i < size; i += 4096) sum += block[i];
  return sum;
}

__attribute__((noinline)) static int checksum(int s) {
  unsigned char block[100 * 1024];
  memset(block, s, sizeof block);
  return sample_sum(block, sizeof block);
}

int main(void) {
  return checksum(seed) == 3 * 25 ? 0 : 1;
}
