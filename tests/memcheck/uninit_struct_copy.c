// Uninitialised value: a struct with a member nobody set is copied by assignment (no report:
// copying is no use) and the copy's member decides a branch.
// EXPECT: UninitCondition line=25 origin=stack:20
// RUN: exit=0
#include <stdio.h>

struct options {
  int verbose;
  int retries;
  int timeout;  // never set
};

static volatile int configured = 1;

__attribute__((noinline)) static void configure(struct options *o) {
  o->verbose = configured;
  o->retries = 3;
}

__attribute__((noinline)) static void run(void) {
  struct options original;
  configure(&original);
  struct options copy;
  copy = original;
  if (copy.timeout > 0) puts("has a timeout");
}

int main(void) {
  run();
  return 0;
}
