// Uninitialised value: an integer division by a divisor the program never set (`| 1` keeps
// it from being zero, so the run does not depend on what the undefined bytes hold).
// EXPECT: UninitValue|UninitCondition line=20 origin=heap:25
// EXPECT-NATIVE: UninitCondition line=21 origin=heap:25
// DIFFERS: Valgrind does not check divisors (x86 div is not a branch or an address): natively
// DIFFERS: the first report is the branch on the quotient, one line later. In wasm a division by
// DIFFERS: an undefined divisor decides whether the program traps, so it is reported itself.
// RUN: exit=0
#include <stdio.h>
#include <stdlib.h>

struct config {
  int total;
  int buckets;  // never set
};

static struct config *volatile last;

__attribute__((noinline)) static void report(const struct config *c) {
  int per_bucket = c->total / (c->buckets | 1);
  if (per_bucket > 3) puts("more than 3 per bucket");
}

int main(void) {
  struct config *c = malloc(sizeof *c);
  last = c;
  c->total = 100;
  report(c);
  free(c);
  return 0;
}
