// libc replacement: memcmp over more bytes than the second block has (equal prefixes make it
// read on).
// EXPECT: InvalidRead line=17
// RUN: exit=0
#include <stdlib.h>
#include <string.h>

static volatile size_t length = 12;
static volatile int sink;

int main(void) {
  char *a = malloc(12);
  char *b = malloc(8);
  memset(a, 'x', 12);
  memset(b, 'x', 8);
  // Valgrind's memcmp reads byte by byte; the size it reports is its own.
  sink = memcmp(a, b, length);
  free(a);
  free(b);
  return 0;
}
