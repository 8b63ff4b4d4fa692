// Client requests: an object of a custom allocator (VALGRIND_MALLOCLIKE_BLOCK) that nothing
// points to any more is definitely lost, though its arena is still reachable: the leak check
// counts the arena's objects as the blocks, not the arena.
// EXPECT: Leak_DefinitelyLost line=15 bytes=48 blocks=1
// RUN: exit=0
#include <stdlib.h>
#include <wasmgrind/memcheck.h>

static char *arena;
static char *volatile kept;

static char *object(size_t offset, size_t n) {
  char *o = arena + offset;

  VALGRIND_MALLOCLIKE_BLOCK(o, n, 0, 1);
  return o;
}

int main(void) {
  arena = malloc(1024);
  kept = object(16, 32);
  char *volatile lost = object(64, 48);
  lost = 0;  // the only copy of the object's address is gone
  (void)lost;
  VALGRIND_FREELIKE_BLOCK(kept, 0);
  kept = 0;
  return 0;
}
