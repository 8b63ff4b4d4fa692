// Use after free after reuse: a block of the same size is allocated right after the free (a
// plain allocator hands back the same memory); the stale pointer must still be caught.
// EXPECT: InvalidRead size=1 line=16 addr=freed:0:32
// RUN: exit=0
#include <stdlib.h>
#include <string.h>

static volatile char sink;

int main(void) {
  char *volatile old = malloc(32);
  strcpy(old, "old contents");
  free(old);
  char *volatile fresh = malloc(32);
  strcpy(fresh, "new contents");
  sink = old[0];
  free(fresh);
  return 0;
}
