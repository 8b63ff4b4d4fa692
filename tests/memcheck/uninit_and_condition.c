// Uninitialised value: the left side of `&&` was never set, so whether the right side runs at
// all is undecided (a br_if in wasm: the right side is a call, which no optimizer may run
// unconditionally).
// EXPECT: UninitCondition line=23 origin=heap:30
// RUN: exit=0
#include <stdio.h>
#include <stdlib.h>

struct connection {
  int fd;
  int authenticated;  // set only by a login that never happens here
};

static volatile int sent;

__attribute__((noinline)) static int send_greeting(const struct connection *c) {
  sent = c->fd;
  return 1;
}

__attribute__((noinline)) static int greet(const struct connection *c) {
  int greeted = 0;
  if (c->authenticated && send_greeting(c)) greeted = 1;
  return greeted;
}

static struct connection *volatile last;

int main(void) {
  struct connection *c = malloc(sizeof *c);
  last = c;
  c->fd = 3;
  printf("greeted: %d\n", greet(c));
  free(c);
  return 0;
}
