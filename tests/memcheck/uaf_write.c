// Use after free: a list node is freed and then written through a stale pointer.
// (The node is 8 bytes on wasm32 and 16 natively: addr= leaves the block out.)
// EXPECT: InvalidWrite size=4 line=23
// RUN: exit=0
#include <stdlib.h>

struct node {
  int value;
  struct node *next;
};

__attribute__((noinline)) static struct node *push(struct node *head, int value) {
  struct node *n = malloc(sizeof *n);
  n->value = value;
  n->next = head;
  return n;
}

int main(void) {
  struct node *head = push(NULL, 1);
  struct node *volatile stale = head;  // volatile: the optimizer drops stores to freed memory
  free(head);
  stale->value = 2;
  return 0;
}
