// Definitely lost: a pointer overwritten by a second allocation before the first is freed.
// EXPECT: Leak_DefinitelyLost bytes=100 blocks=1 line=10
// RUN: exit=0
#include <stdlib.h>
#include <string.h>

static char *volatile buffer;

int main(void) {
  buffer = malloc(100);
  memset(buffer, 'a', 100);
  buffer = malloc(200);
  memset(buffer, 'b', 200);
  free(buffer);
  buffer = NULL;
  return 0;
}
