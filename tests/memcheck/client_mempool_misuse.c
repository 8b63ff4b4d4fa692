// Client requests: misuses of a memory pool. A chunk freed twice is an invalid free, a write
// to a freed chunk lands in the (no-access) arena, and a request naming no pool is an
// illegal memory pool address.
// EXPECT: InvalidWrite size=1 line=24 addr=inside:8:512
// EXPECT: InvalidFree line=25 addr=inside:8:512
// EXPECT: InvalidMemPool line=26 addr=inside:1:512
// RUN: exit=0
#include <stdlib.h>
#include <wasmgrind/memcheck.h>

int main(void) {
  char *pool = malloc(512);
  VALGRIND_CREATE_MEMPOOL(pool, 8, 0);
  VALGRIND_MAKE_MEM_NOACCESS(pool, 512);
  char *volatile c = pool + 8;
  VALGRIND_MEMPOOL_ALLOC(pool, c, 32);
  c[0] = 1;
  VALGRIND_MEMPOOL_TRIM(pool, pool, 512);  // keeps the chunk: it is inside
  c[31] = 2;
  char *volatile d = pool + 64;
  VALGRIND_MEMPOOL_ALLOC(pool, d, 16);
  VALGRIND_MEMPOOL_CHANGE(pool, d, pool + 96, 32);  // moved and grown in place
  VALGRIND_MEMPOOL_FREE(pool, c);
  c[0] = 3;
  VALGRIND_MEMPOOL_FREE(pool, c);
  VALGRIND_MEMPOOL_ALLOC(pool + 1, pool + 200, 8);
  VALGRIND_DESTROY_MEMPOOL(pool);
  VALGRIND_MAKE_MEM_UNDEFINED(pool, 512);
  free(pool);
  return 0;
}
