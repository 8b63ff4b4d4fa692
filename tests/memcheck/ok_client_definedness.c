// Correct: client requests that change definedness, used as a custom allocator uses them: a
// recycled object is marked undefined (VALGRIND_MAKE_MEM_UNDEFINED) and then fully written
// before it is read; bytes a device "filled" behind the compiler's back are declared with
// VALGRIND_MAKE_MEM_DEFINED and then decide branches; VALGRIND_CHECK_MEM_IS_DEFINED of
// written memory finds nothing.
// EXPECT: none
// RUN: exit=0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasmgrind/memcheck.h>

struct node {
  int key;
  int value;
};

static int failures;

static void check(int ok, const char *what) {
  if (!ok) {
    printf("FAIL: %s\n", what);
    ++failures;
  }
}

static struct node pool[8];
static unsigned char *volatile escape;

int main(void) {
  for (int i = 0; i < 8; ++i) pool[i] = (struct node){i, i * i};
  // Recycle: the old contents are undefined to the checker; the new user writes everything.
  struct node *n = &pool[3];
  VALGRIND_MAKE_MEM_UNDEFINED(n, sizeof *n);
  n->key = 30;
  n->value = 900;
  check(n->key == 30 && n->value == 900, "a recycled node written before use");
  check(VALGRIND_CHECK_MEM_IS_DEFINED(n, sizeof *n) == 0, "CHECK_MEM_IS_DEFINED of it");

  // A buffer filled by something the checker does not see: declared defined.
  unsigned char *buffer = malloc(16);
  escape = buffer;
  memset(buffer, 7, 16);  // (stands in for the device)
  VALGRIND_MAKE_MEM_UNDEFINED(buffer, 16);
  VALGRIND_MAKE_MEM_DEFINED(buffer, 16);
  int sevens = 0;
  for (int i = 0; i < 16; ++i)
    if (buffer[i] == 7) ++sevens;
  check(sevens == 16, "bytes made defined again");
  free(buffer);
  printf("client definedness %s\n", failures == 0 ? "ok" : "FAILED");
  return failures != 0;
}
