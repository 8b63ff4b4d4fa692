// Indirectly lost: a linked list whose head pointer is dropped; the head is definitely lost,
// the four nodes behind it indirectly.
// EXPECT: Leak_DefinitelyLost bytes=16 blocks=1 line=15
// EXPECT: Leak_IndirectlyLost bytes=64 blocks=4 line=15
// VALGRIND: --show-leak-kinds=all
// RUN: exit=0
#include <stdlib.h>

struct node {
  long long value;
  struct node *next;
};

__attribute__((noinline)) static struct node *push(struct node *head, long long value) {
  struct node *n = calloc(1, 16);
  n->value = value;
  n->next = head;
  return n;
}

__attribute__((noinline)) static long long build_and_drop(void) {
  struct node *head = NULL;
  for (int i = 0; i < 5; ++i) head = push(head, i);
  return head->value;
}

int main(void) {
  return build_and_drop() == 4 ? 0 : 1;
}
