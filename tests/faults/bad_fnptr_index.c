// A call through a function pointer read from uninitialised (0x5a-filled) memory: the table
// index is garbage, far past the end of the table.
// expect-trap: UndefinedElement
// expect-detail: call_indirect: table index 0x5a5a5a5a out of bounds (table size
// expect-frames: dispatch bad_fnptr_index.c:16 | main bad_fnptr_index.c:23
#include <string.h>

typedef int (*handler)(int);

struct op {
  handler fn;
  int arg;
};

__attribute__((noinline)) static int dispatch(struct op *o) {
  return o->fn(o->arg);
}

int main(int argc, char **argv) {
  (void)argv;
  struct op o;
  memset(&o, 0x5a, sizeof o);
  return dispatch(&o) + argc;
}
// Under --memcheck (last, not to move the lines above):
// expect-signal: SIGSEGV
