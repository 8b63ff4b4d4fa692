// Invalid free: realloc of a pointer to a local buffer that malloc never returned.
// EXPECT: InvalidFree line=12 addr=stack
// RUN: exit=0
#include <stdlib.h>
#include <string.h>

static volatile size_t wanted = 64;

int main(void) {
  char small[16] = "short";
  // The code forgot that the buffer may still be the small one on the stack.
  char *volatile grown = realloc(small, wanted);
  int ok = grown == NULL || grown != small;
  if (grown != small) free(grown);
  return ok ? 0 : 1;
}
