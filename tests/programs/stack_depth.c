/* stack_depth: recursion that is not a tail call, to depth argv[1] (then prints "returned from
 * depth N") or forever without an argument (until the engine traps "call stack exhausted"). It
 * prints "depth N" every 100 levels on unbuffered stdout, so the last line before a trap says
 * how deep the program got (tests/programs/stack_limits.sh compares that depth across stack
 * settings). Each level keeps its locals in wasm locals, none in linear memory. */
#include <stdio.h>
#include <stdlib.h>

static long target = -1; /* never reached without an argument */
volatile long sink;

/* Out of line: printf's variadic arguments live on the shadow stack in linear memory, which
 * Recurse itself must not touch (that stack is only 64 KiB). */
__attribute__((noinline)) static void Report(long depth) { printf("depth %ld\n", depth); }

__attribute__((noinline)) static long Recurse(long depth) {
  if (depth % 100 == 0) Report(depth);
  if (depth == target) return depth;
  long deeper = Recurse(depth + 1);
  sink = deeper; /* keeps the call out of tail position */
  return depth;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc > 1) target = atol(argv[1]);
  Recurse(1);
  printf("returned from depth %ld\n", target);
  return 0;
}
