// Still reachable: a block a global still points to at exit (not an error, shown with
// --show-leak-kinds=all).
// EXPECT: Leak_StillReachable bytes=256 blocks=1 line=11
// VALGRIND: --show-leak-kinds=all
// RUN: exit=0
#include <stdlib.h>

static char *scratch;

int main(void) {
  scratch = malloc(256);
  scratch[0] = 1;
  return 0;
}
