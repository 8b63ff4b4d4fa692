// libc replacement: memcpy of 24 bytes into a 16-byte block (write past its end).
// EXPECT: InvalidWrite line=15
// RUN: exit=0
#include <stdlib.h>
#include <string.h>

static const char source[24] = "twenty-three characters";
static volatile size_t length = sizeof source;  // the size of the source, not of the target

int main(void) {
  char *target = malloc(16);
  char *volatile keep = target;
  (void)keep;
  // Valgrind's memcpy copies in words, so the access size it reports is its own.
  memcpy(target, source, length);
  int ok = target[0] == 't';
  free(target);
  return ok ? 0 : 1;
}
