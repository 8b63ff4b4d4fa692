// Uninitialised value: a malloc'd counter never set decides a branch.
// EXPECT: UninitCondition line=20 origin=heap:13
// RUN: exit=0
#include <stdio.h>
#include <stdlib.h>

struct stats {
  int hits;
  int misses;  // the constructor-like function below forgets this one
};

__attribute__((noinline)) static struct stats *new_stats(void) {
  struct stats *s = malloc(sizeof *s);
  s->hits = 0;
  return s;
}

int main(void) {
  struct stats *s = new_stats();
  if (s->misses > 10)
    puts("many misses");
  free(s);
  return 0;
}
