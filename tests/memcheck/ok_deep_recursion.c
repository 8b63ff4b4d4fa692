// Correct: recursion 1000 deep (Ackermann-like and a naive list walk), each frame's bytes
// addressable while it is live and the stack pointer moving up and down thousands of times.
// EXPECT: none
// RUN: exit=0
#include <stdio.h>

struct cell {
  int value;
  const struct cell *next;
};

static int sum_list(const struct cell *c) {
  return c == NULL ? 0 : c->value + sum_list(c->next);
}

static int ackermann(int m, int n) {
  if (m == 0) return n + 1;
  if (n == 0) return ackermann(m - 1, 1);
  return ackermann(m - 1, ackermann(m, n - 1));
}

// Builds a list on the stack, one cell per frame, and sums it at the bottom.
static int build_on_stack(int depth, const struct cell *next) {
  struct cell here = {depth, next};
  if (depth == 0) return sum_list(&here);
  return build_on_stack(depth - 1, &here);
}

int main(void) {
  int sum = build_on_stack(300, NULL);
  int a = ackermann(2, 300);  // about 600 frames deep at the most
  printf("deep recursion ok: %d %d\n", sum, a);
  return sum == 300 * 301 / 2 && a == 603 ? 0 : 1;
}
