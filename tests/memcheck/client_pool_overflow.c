// Client requests: a bump allocator carves 24-byte objects out of a static arena and
// describes them with VALGRIND_MALLOCLIKE_BLOCK (8-byte redzones); a write one byte past an
// object is an overflow of that object.
// EXPECT: InvalidWrite size=1 line=30 addr=after:0:24
// RUN: exit=0
#include <stdlib.h>
#include <wasmgrind/memcheck.h>

enum { kRedzone = 8, kArenaSize = 1024 };

static char arena[kArenaSize];
static size_t used;

static char *pool_alloc(size_t n) {
  char *block = arena + used + kRedzone;
  used += n + 2 * kRedzone;
  VALGRIND_MALLOCLIKE_BLOCK(block, n, kRedzone, 0);
  return block;
}

static void pool_free(char *block) { VALGRIND_FREELIKE_BLOCK(block, kRedzone); }

int main(void) {
  VALGRIND_MAKE_MEM_NOACCESS(arena, kArenaSize);  // only its objects may be touched
  char *volatile a = pool_alloc(24);
  char *volatile b = pool_alloc(24);
  for (int i = 0; i < 24; ++i) a[i] = (char)i;
  b[0] = 1;
  if (a[5] + b[0] != 6) return 1;
  a[24] = 1;
  pool_free(a);
  pool_free(b);
  return 0;
}
