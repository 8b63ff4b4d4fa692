// Indirectly lost: a record whose pointer is dropped owns two more blocks (its name and its
// data), which are lost only through it.
// EXPECT: Leak_DefinitelyLost blocks=1 line=19
// EXPECT: Leak_IndirectlyLost bytes=6 blocks=1 line=20
// EXPECT: Leak_IndirectlyLost bytes=80 blocks=1 line=21
// VALGRIND: --show-leak-kinds=all
// RUN: exit=0
#include <stdlib.h>
#include <string.h>

struct record {
  char *name;
  int *data;
  int count;
};

__attribute__((noinline)) static struct record *make_record(void) {
  // 12 bytes on wasm32, 24 natively: the expectation leaves its size out
  struct record *r = malloc(sizeof *r);
  r->name = strdup("alpha");
  r->data = calloc(20, sizeof(int));
  r->count = 20;
  return r;
}

int main(void) {
  struct record *r = make_record();
  return r->count == 20 ? 0 : 1;
}
