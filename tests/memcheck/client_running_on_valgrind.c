// Client requests: RUNNING_ON_VALGRIND is 1 under a checker (Valgrind, `wasmgrind run
// --memcheck`) and 0 elsewhere; VALGRIND_COUNT_ERRORS counts the errors reported so far. The
// overflow happens only under a checker, and a wrong count is a second, unexpected error.
// EXPECT: InvalidWrite size=1 line=15 addr=after:0:8
// RUN: exit=0
#include <stdlib.h>
#include <wasmgrind/memcheck.h>

int main(void) {
  unsigned on = RUNNING_ON_VALGRIND;
  if (on > 1) return 1;
  char *volatile p = malloc(8);
  if (VALGRIND_COUNT_ERRORS != 0) return 2;
  p[0] = 1;
  if (on) p[8] = 1;
  unsigned errors = VALGRIND_COUNT_ERRORS;
  free(p);
  if (errors != on) {
    p[0] = 2;  // use after free: the report shows the count was wrong
    return 3;
  }
  return 0;
}
