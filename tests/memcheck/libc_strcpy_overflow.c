// libc replacement: strcpy of a 12-character string into a 10-byte block.
// (Valgrind's strcpy writes the terminator from another instruction, so it reports two errors
// here: the expectation matches both.)
// EXPECT: InvalidWrite line=15
// RUN: exit=0
#include <stdlib.h>
#include <string.h>

static const char *volatile name = "long-name-12";

int main(void) {
  char *copy = malloc(10);
  char *volatile keep = copy;
  (void)keep;
  strcpy(copy, name);
  int ok = copy[0] == 'l';
  free(copy);
  return ok ? 0 : 1;
}
