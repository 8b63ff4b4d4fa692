// Correct: a string read a word at a time, as optimised string code reads it. The last word is
// aligned but reaches past the block; only its bytes inside the block are used. Valgrind's
// --partial-loads-ok=yes (its default): an aligned word load with some addressable bytes is no
// error.
// EXPECT: none
// RUN: exit=0
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// The length of s (4-byte aligned), found by aligned 4-byte loads.
__attribute__((noinline)) static size_t word_strlen(const char *s) {
  const volatile uint32_t *words = (const volatile uint32_t *)s;
  for (size_t i = 0;; ++i) {
    const uint32_t word = words[i];
    for (size_t b = 0; b < 4; ++b) {
      if (((word >> (8 * b)) & 0xff) == 0) return 4 * i + b;
    }
  }
}

int main(void) {
  char *s = malloc(6);  // "hello": the second word's last two bytes lie past the block
  memcpy(s, "hello", 6);
  const size_t n = word_strlen(s);
  free(s);
  return n == 5 ? 0 : 1;
}
