// libc replacement: strcat appends past the end of a block sized for the first part only.
// (Valgrind's strcat writes the terminator from another instruction, so it reports two errors
// here: the expectation matches both.)
// EXPECT: InvalidWrite line=16
// RUN: exit=0
#include <stdlib.h>
#include <string.h>

static const char *volatile suffix = ".txt";

int main(void) {
  char *file = malloc(8);
  char *volatile keep = file;
  (void)keep;
  strcpy(file, "report");
  strcat(file, suffix);  // "report.txt" needs 11 bytes
  int ok = file[0] == 'r';
  free(file);
  return ok ? 0 : 1;
}
