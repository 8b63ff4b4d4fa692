// A bug only wasm32 has: an array of n pointers filled by memcpy with n 8-byte values.
// EXPECT: InvalidWrite line=18
// EXPECT-NATIVE: none
// DIFFERS: pointers are 8 bytes natively, so 3 * 8 bytes fit in 3 * sizeof(char *).
// RUN: exit=0
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const uint64_t handles[3] = {1, 2, 3};
static volatile size_t count = 3;
static char **volatile keep;

int main(void) {
  size_t n = count;
  char **table = malloc(n * sizeof(char *));
  // The table once held 64-bit handles; this copy still assumes so.
  memcpy(table, handles, n * sizeof(uint64_t));
  keep = table;
  int ok = keep[0] != NULL;  // read back through the volatile pointer: the copy stays at -O2
  free(table);
  return ok ? 0 : 1;
}
