// A trap: prints, then executes `unreachable`. The runner must report a trap, not an exit.
#include <stdio.h>

int main(void) {
  printf("before trap\n");
  fflush(stdout);
  __builtin_trap();
  return 0;
}
