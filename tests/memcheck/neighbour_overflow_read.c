// Heap overflow into a live neighbour: a read past one node of a two-node pair, where the
// other node lies right after it in memory.
// EXPECT: InvalidRead size=4 line=15 addr=after:0:16
// RUN: exit=0
#include <stdlib.h>

struct node {
  int values[4];
};

static volatile int sink;

__attribute__((noinline)) static void sum_into_sink(const struct node *n, int count) {
  for (int i = 0; i < count; ++i)
    sink += n->values[i];
}

int main(void) {
  struct node *first = calloc(1, sizeof *first);
  struct node *second = calloc(1, sizeof *second);
  sum_into_sink(first, 5);
  free(second);
  free(first);
  return 0;
}
