// Client requests: VALGRIND_CREATE_BLOCK names a range, and an error inside it is described by
// that name, also where a heap block holds the range; VALGRIND_DISCARD forgets it (a second
// discard of the handle fails), and the address is then described as before. A wrong answer
// ends the program with a non-zero status.
// EXPECT: InvalidRead size=1 line=20 addr=described:4:16
// EXPECT: InvalidRead size=1 line=24 addr=described:2:8
// EXPECT: InvalidRead size=1 line=29 addr=global
// RUN: exit=0
#include <stdlib.h>
#include <wasmgrind/memcheck.h>

static char table[64];
static volatile char seen;

int main(void) {
  const unsigned on = RUNNING_ON_VALGRIND;
  const unsigned first = VALGRIND_CREATE_BLOCK(table + 8, 16, "symbol table");
  VALGRIND_MAKE_MEM_NOACCESS(table + 8, 16);
  // Reads of ranges made no-access, each an invalid read.
  seen = table[12];
  char *header = malloc(32);
  const unsigned second = VALGRIND_CREATE_BLOCK(header + 4, 8, "record header");
  VALGRIND_MAKE_MEM_NOACCESS(header + 4, 8);
  seen = header[6];
  if (on && (first != 0 || second != 1)) return 1;
  if (VALGRIND_DISCARD(first) != 0) return 2;
  if (VALGRIND_DISCARD(first) != on) return 3;  // no longer a handle
  VALGRIND_DISCARD(second);
  seen = table[12];
  free(header);
  return 0;
}
