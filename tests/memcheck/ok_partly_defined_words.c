// Correct: decisions on the defined part of partly written words. A 32-bit word of which only
// the low half was written is masked, shifted, added to and tested so that every bit that
// decides is defined: `x & 0` is defined, an add carries undefinedness only upwards, a shift
// moves it with the bits (Valgrind's rules, and wasmgrind's). The
// masks and counts come from volatile globals so that no compiler folds them away.
// EXPECT: none
// RUN: exit=0
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile uint32_t low_half_mask = 0xFFFF;
static volatile uint32_t zero = 0;
static volatile int sixteen = 16;
static int failures;

static void check(int ok, const char *what) {
  if (!ok) {
    printf("FAIL: %s\n", what);
    ++failures;
  }
}

static uint32_t *volatile escape;

// Writes only the low half of *word (little-endian: its first two bytes).
__attribute__((noinline)) static void write_low_half(uint32_t *word, uint16_t value) {
  memcpy(word, &value, sizeof value);
}

__attribute__((noinline)) static void decide(const uint32_t *word) {
  uint32_t w = *word;  // the high half is undefined
  check((w & low_half_mask) == 0x1234, "the masked low half");
  check((w & zero) == 0, "x & 0");
  check((w | ~low_half_mask) == 0xFFFF1234u, "x | ones over the undefined half");
  check(((w + 1) & low_half_mask) == 0x1235, "an add's low bits");
  check((uint16_t)(w << sixteen >> sixteen) == 0x1234, "shifted out and back");
  check((w << sixteen) == 0x12340000u, "the undefined half shifted out");
  check((uint8_t)w == 0x34 && (uint16_t)w == 0x1234, "narrowed");
  check(((w & low_half_mask) >> 8) == 0x12, "masked then shifted");
}

int main(void) {
  uint32_t *heap = malloc(4 * sizeof *heap);
  uint32_t stack[4];
  escape = heap;
  escape = stack;
  write_low_half(&heap[1], 0x1234);
  write_low_half(&stack[2], 0x1234);
  decide(&heap[1]);
  decide(&stack[2]);
  free(heap);
  printf("partly defined words %s\n", failures == 0 ? "ok" : "FAILED");
  return failures != 0;
}
