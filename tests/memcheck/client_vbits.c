// Client requests: VALGRIND_GET_VBITS reads the V bits of a new block's bytes and
// VALGRIND_SET_VBITS gives them to a defined variable, whose use is then a use of an
// uninitialised value; the bits read back are the same, and a range that is not addressable
// is refused (3). A wrong answer ends the program with a non-zero status.
// EXPECT: UninitCondition line=28
// RUN: exit=0
#include <stdlib.h>
#include <string.h>
#include <wasmgrind/memcheck.h>

static volatile int seen;

int main(void) {
  const unsigned on = RUNNING_ON_VALGRIND;
  int *fresh = malloc(sizeof(int));  // never written: undefined
  int value = 42;
  unsigned char bits[sizeof(int)], again[sizeof(int)];

  if (VALGRIND_GET_VBITS(fresh, bits, sizeof bits) != on) return 1;
  if (VALGRIND_SET_VBITS(&value, bits, sizeof bits) != on) return 2;
  if (VALGRIND_GET_VBITS(&value, again, sizeof again) != on) return 3;
  // The arrays GET_VBITS wrote are defined: comparing them is no error.
  if (on && memcmp(bits, again, sizeof bits) != 0) return 4;
  // Past the block: its redzone.
  if (VALGRIND_GET_VBITS(fresh + 1, bits, 1) != 3 * on) return 5;
  if (VALGRIND_SET_VBITS(&value, (char *)fresh + 4, 1) != 3 * on) return 6;

  if (value == 42) seen = 1;  // value's bits are now those of the new block's
  free(fresh);
  return 0;
}
