// abort(): wasi-libc's abort is __builtin_trap, an `unreachable` in `abort`.
// expect-trap: Unreachable
// expect-detail: the program called abort()
// expect-frames: abort | give_up abort_call.c:11 | main abort_call.c:16
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static void give_up(const char *why) {
  fprintf(stderr, "giving up: %s\n", why);
  fflush(stderr);
  abort();
}

int main(int argc, char **argv) {
  (void)argv;
  if (argc < 100) give_up("no input");
  return 0;
}
// Under --memcheck (last, not to move the lines above):
// expect-signal: SIGABRT
