// Uninitialised value: a frame lies where an earlier call's frame was, so its unset local
// array holds that call's old (written, but dead) values: they are undefined all the same,
// because the stack pointer moved down over them again. One element decides a branch.
// EXPECT: UninitCondition line=30 origin=stack:25
// RUN: exit=0
#include <stdio.h>

static volatile int sink;
static volatile int have_weights = 0;

// Writes a frame's worth of defined values where the next call's frame will be.
__attribute__((noinline)) static void warm_up(void) {
  int scratch[16];
  for (int i = 0; i < 16; ++i) scratch[i] = 1;
  int *volatile keep = scratch;
  sink = keep[15];
}

__attribute__((noinline)) static void load_weights(int *weights) {
  if (have_weights)
    for (int i = 0; i < 16; ++i) weights[i] = 2;
}

// A frame of the same size at the same depth: the old 1s are still in it.
__attribute__((noinline)) static void apply_weights(void) {
  int weights[16];
  load_weights(weights);
  int heavy = 0;
  for (int i = 0; i < 16; ++i)
    if (weights[i] > 0) sink = ++heavy;  // a store: the branch stays a branch
  printf("%d heavy\n", heavy);
}

int main(void) {
  warm_up();
  apply_weights();
  return 0;
}
