// Still reachable: a linked list hanging off a global at exit: every node is reachable.
// EXPECT: Leak_StillReachable bytes=48 blocks=3 line=18
// VALGRIND: --show-leak-kinds=all
// RUN: exit=0
#include <stdlib.h>

struct node {
  long long value;
  union {
    struct node *next;
    long long pad;  // keeps the node 16 bytes on wasm32 too
  } link;
};

static struct node *registry;

__attribute__((noinline)) static void add(long long value) {
  struct node *n = malloc(sizeof *n);
  n->value = value;
  n->link.next = registry;
  registry = n;
}

int main(void) {
  for (int i = 0; i < 3; ++i) add(i);
  return registry->value == 2 ? 0 : 1;
}
