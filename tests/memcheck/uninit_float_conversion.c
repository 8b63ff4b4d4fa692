// Uninitialised value: an unset integer count is converted to double, scaled and compared:
// undefinedness passes through the conversion and the floating-point arithmetic to the
// comparison that decides a branch.
// EXPECT: UninitCondition line=23 origin=heap:29
// RUN: exit=0
#include <stdio.h>
#include <stdlib.h>

struct sample_set {
  int count;  // left for a loader this program skips
  double scale;
};

static volatile int loaded = 0;

__attribute__((noinline)) static void load(struct sample_set *s) {
  s->scale = 0.5;
  if (loaded) s->count = 10;
}

__attribute__((noinline)) static void flag_large(const struct sample_set *s) {
  double weighted = (double)s->count * s->scale + 1.0;
  if (weighted > 3.0) puts("large");  // a call in the branch keeps it a branch at -O2
}

static struct sample_set *volatile last;

int main(void) {
  struct sample_set *s = malloc(sizeof *s);
  last = s;
  load(s);
  flag_large(s);
  free(s);
  return 0;
}
