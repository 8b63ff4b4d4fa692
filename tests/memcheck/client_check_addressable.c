// Client requests: VALGRIND_CHECK_MEM_IS_ADDRESSABLE over a range that runs past a block
// reports the first bad byte and returns its address (0 when all is well, and always 0 when
// no checker runs); VALGRIND_CHECK_MEM_IS_DEFINED does the same for addressability.
// EXPECT: ClientCheck line=17 addr=after:0:10
// EXPECT: ClientCheck line=19 addr=freed:0:10
// RUN: exit=0
#include <stdlib.h>
#include <string.h>
#include <wasmgrind/memcheck.h>

int main(void) {
  char *volatile p = malloc(10);
  memset(p, 'x', 10);
  unsigned long on = RUNNING_ON_VALGRIND;
  if (VALGRIND_CHECK_MEM_IS_ADDRESSABLE(p, 10) != 0) return 1;
  if (VALGRIND_CHECK_MEM_IS_DEFINED(p + 2, 8) != 0) return 2;
  if (VALGRIND_CHECK_MEM_IS_ADDRESSABLE(p, 16) != (on ? (unsigned long)(p + 10) : 0)) return 3;
  free(p);
  if (VALGRIND_CHECK_MEM_IS_DEFINED(p, 4) != (on ? (unsigned long)p : 0)) return 4;
  return 0;
}
