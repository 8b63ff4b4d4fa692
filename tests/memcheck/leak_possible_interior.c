// Possibly lost: the only pointer left to a block points 20 bytes into it (a cursor kept in a
// global after the start pointer was dropped).
// EXPECT: Leak_PossiblyLost bytes=64 blocks=1 line=13
// RUN: exit=0
#include <stdlib.h>
#include <string.h>

static char *cursor;

__attribute__((noinline)) static void open_cursor(void) {
  // An offset other than 8 or 24, where Valgrind's leak heuristics (length64, newarray,
  // stdstring) would call the block reachable.
  char *text = malloc(64);
  memset(text, 'x', 64);
  cursor = text + 20;
}

int main(void) {
  open_cursor();
  return cursor[0] == 'x' ? 0 : 1;
}
