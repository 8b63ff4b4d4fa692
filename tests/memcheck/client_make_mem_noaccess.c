// Client requests: VALGRIND_MAKE_MEM_NOACCESS fences off the middle of a buffer; a read
// there is invalid until VALGRIND_MAKE_MEM_DEFINED gives the bytes back.
// EXPECT: InvalidRead size=4 line=18 addr=inside:16:64
// RUN: exit=0
#include <stdlib.h>
#include <wasmgrind/memcheck.h>

static volatile int sink;

int main(void) {
  int *volatile buffer = malloc(16 * sizeof(int));
  for (int i = 0; i < 16; ++i) buffer[i] = i;
  // Valgrind's requests return -1 under a checker, 0 elsewhere.
  long fenced = (long)VALGRIND_MAKE_MEM_NOACCESS(buffer + 4, 8 * sizeof(int));
  if (fenced != (RUNNING_ON_VALGRIND ? -1 : 0)) return 1;
  sink = buffer[3];
  sink = buffer[12];
  sink = buffer[4];
  VALGRIND_MAKE_MEM_DEFINED(buffer + 4, 8 * sizeof(int));
  sink = buffer[5];  // addressable again
  free(buffer);
  return 0;
}
