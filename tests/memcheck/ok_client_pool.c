// Correct: a custom allocator described with client requests (MALLOCLIKE, RESIZEINPLACE and
// FREELIKE; a memory pool with ALLOC, TRIM, FREE and DESTROY) and used within its blocks:
// no report at all. The arena is marked no-access around the blocks, so any stray access
// would be caught.
// EXPECT: none
// RUN: exit=0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasmgrind/memcheck.h>

enum { kRedzone = 16 };

int main(void) {
  char *arena = malloc(2048);
  VALGRIND_MAKE_MEM_NOACCESS(arena, 2048);
  char *a = arena + kRedzone;
  VALGRIND_MALLOCLIKE_BLOCK(a, 100, kRedzone, 1);
  memset(a, 'a', 100);
  VALGRIND_RESIZEINPLACE_BLOCK(a, 100, 200, kRedzone);
  memset(a + 100, 'b', 100);
  VALGRIND_RESIZEINPLACE_BLOCK(a, 200, 50, kRedzone);
  a[49] = 0;
  size_t length = strlen(a);

  char *pool = arena + 1024;
  VALGRIND_CREATE_MEMPOOL(pool, 8, 0);
  char *chunks[4];
  for (int i = 0; i < 4; ++i) {
    chunks[i] = pool + 8 + i * 64;
    VALGRIND_MEMPOOL_ALLOC(pool, chunks[i], 48);
    snprintf(chunks[i], 48, "chunk %d of %zu", i, length);
  }
  VALGRIND_MEMPOOL_FREE(pool, chunks[3]);
  VALGRIND_MEMPOOL_TRIM(pool, pool, 128);  // frees chunks[2], keeps 0 and 1
  int sum = 0;
  for (int i = 0; i < 2; ++i) sum += (int)strlen(chunks[i]);
  VALGRIND_DESTROY_MEMPOOL(pool);

  VALGRIND_FREELIKE_BLOCK(a, kRedzone);
  VALGRIND_MAKE_MEM_UNDEFINED(arena, 2048);
  free(arena);
  printf("client pool ok: %zu %d\n", length, sum);
  return length == 49 && sum == 26 ? 0 : 1;
}
