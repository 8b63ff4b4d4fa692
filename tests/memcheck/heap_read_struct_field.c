// Heap overflow read: a block allocated for a smaller struct is read through a larger one.
// EXPECT: InvalidRead size=8 line=24 addr=after:0:8
// RUN: exit=0
#include <stdint.h>
#include <stdlib.h>

struct small {
  int32_t a, b;
};
struct large {
  int32_t a, b;
  int64_t extra;
};

static volatile int64_t sink;

__attribute__((noinline)) static struct small *make_small(void) {
  struct small *s = malloc(sizeof *s);
  s->a = s->b = 1;
  return s;
}

__attribute__((noinline)) static void read_extra(struct large *l) {
  sink = l->extra;
}

int main(void) {
  struct small *s = make_small();
  read_extra((struct large *)s);
  free(s);
  return 0;
}
