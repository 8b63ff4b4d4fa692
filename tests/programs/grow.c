// Memory growth: writes from buffers in memory added by memory.grow after startup, so the
// WASI layer must see the current memory size on each call.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  size_t size = 16 * 1024 * 1024;
  char* big = malloc(size);
  if (!big) return 1;
  memset(big, 'x', size);
  char* tail = big + size - 32;
  memcpy(tail, "from the end of a big buffer\n", 29);
  write(1, tail, 29);
  printf("%zu bytes, last byte %c\n", size, big[size - 1]);
  free(big);
  return 0;
}
