// Client requests: a memory pool (VALGRIND_CREATE_MEMPOOL with 16-byte redzones) hands out
// chunks of a malloc'd arena with VALGRIND_MEMPOOL_ALLOC; reading the int just past a chunk
// is reported against the chunk ("client-defined"), not the arena.
// EXPECT: InvalidRead size=4 line=28 addr=client-after:0:40
// RUN: exit=0
#include <stdlib.h>
#include <wasmgrind/memcheck.h>

enum { kRedzone = 16 };

static volatile int sink;

static int *chunk(char *arena, size_t offset, size_t n) {
  int *c = (int *)(arena + offset);
  VALGRIND_MEMPOOL_ALLOC(arena, c, n);
  return c;
}

int main(void) {
  char *arena = malloc(4096);
  VALGRIND_CREATE_MEMPOOL(arena, kRedzone, 0);
  VALGRIND_MAKE_MEM_NOACCESS(arena, 4096);
  int *volatile first = chunk(arena, kRedzone, 40);
  int *volatile second = chunk(arena, 40 + 3 * kRedzone, 40);
  for (int i = 0; i < 10; ++i) first[i] = i;
  second[0] = 7;
  if (VALGRIND_MEMPOOL_EXISTS(arena) != RUNNING_ON_VALGRIND) return 1;
  sink = first[10];
  VALGRIND_MEMPOOL_FREE(arena, first);
  VALGRIND_MEMPOOL_FREE(arena, second);
  VALGRIND_DESTROY_MEMPOOL(arena);
  VALGRIND_MAKE_MEM_UNDEFINED(arena, 4096);
  free(arena);
  return 0;
}
