// Correct: a program that uses most of wasm-ld's 64 KiB C stack: a 40 KiB local array, and a
// call to printf from underneath it.
// EXPECT: none
// RUN: exit=0
#include <stdio.h>
#include <string.h>

__attribute__((noinline)) static int report(const unsigned char *block, size_t size) {
  char line[2048];  // and a bit more stack below the big frame
  memset(line, 0, sizeof line);
  snprintf(line, sizeof line, "most of the stack ok: %u %u", block[0], block[size - 1]);
  return puts(line) >= 0;
}

__attribute__((noinline)) static int use_stack(int seed) {
  unsigned char block[40 * 1024];
  for (size_t i = 0; i < sizeof block; ++i) block[i] = (unsigned char)(seed + i);
  unsigned sum = 0;
  for (size_t i = 0; i < sizeof block; ++i) sum += block[i];
  return report(block, sizeof block) && sum == 40 * 1024 / 256 * (255 * 256 / 2) ? 0 : 1;
}

int main(void) {
  return use_stack(0);
}
