// Heap underflow read: code that expects a length stored before the data reads one from a
// block that has none.
// EXPECT: InvalidRead size=4 line=11 addr=before:4:24
// RUN: exit=0
#include <stdint.h>
#include <stdlib.h>

static volatile uint32_t sink;

__attribute__((noinline)) static uint32_t stored_length(const char *data) {
  return ((const uint32_t *)data)[-1];
}

int main(void) {
  char *data = calloc(24, 1);
  sink = stored_length(data);
  free(data);
  return 0;
}
