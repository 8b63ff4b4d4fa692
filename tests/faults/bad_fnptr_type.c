// A function called through a pointer of the wrong type: `tick` takes nothing and returns
// nothing, the call passes an int and expects an int back.
// expect-trap: IndirectCallTypeMismatch
// expect-detail: indirect call type mismatch: call_indirect expects (i32) -> (i32), but table index
// expect-detail: holds a function of type () -> ()
// expect-frames: call_it bad_fnptr_type.c:17 | main bad_fnptr_type.c:22
#include <stdio.h>

typedef int (*int_fn)(int);

static int ticks;

__attribute__((noinline)) void tick(void) { ticks++; }

__attribute__((noinline)) int call_it(void *fn, int v) {
  int_fn f = (int_fn)fn;
  return f(v);
}

int main(int argc, char **argv) {
  (void)argv;
  printf("%d\n", call_it((void *)tick, argc));
  return ticks;
}
// Under --memcheck (last, not to move the lines above):
// expect-signal: SIGSEGV
