// Deep recursion that ends in a trap 1001 calls deep: the backtrace keeps the innermost and
// the outermost frames (main among them) and says how many it left out: 1006 wasm frames and
// the entry trampoline make 1007 JIT frames, of which 64 are kept.
// expect-trap: Unreachable
// expect-frames: descend deep_recursion.c:12 | descend deep_recursion.c:13
// expect-text: ... 943 frames left out ...
// expect-omitted: 943
// expect-outermost: main deep_recursion.c:20
static volatile int calls;

__attribute__((noinline)) static int descend(int depth) {
  if (depth == 0) __builtin_trap();
  int r = descend(depth - 1);
  calls = calls + 1;  // work after the call: no tail recursion to turn into a loop
  return r;
}

int main(int argc, char **argv) {
  (void)argv;
  return descend(999 + argc);
}
// Under --memcheck (last, not to move the lines above):
// expect-signal: SIGILL
