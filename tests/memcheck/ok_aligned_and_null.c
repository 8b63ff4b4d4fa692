// Correct: aligned_alloc and posix_memalign blocks (wasi-libc has no memalign) used to their exact size, and the
// legal null cases: free(NULL), realloc(NULL, n).
// EXPECT: none
// RUN: exit=0
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
  char *a = aligned_alloc(64, 128);
  void *b = NULL;
  if (posix_memalign(&b, 32, 100) != 0) return 1;
  char *c = aligned_alloc(16, 48);
  char *d = realloc(NULL, 20);
  if (a == NULL || c == NULL || d == NULL) return 2;
  memset(a, 1, 128);
  memset(b, 2, 100);
  memset(c, 3, 48);
  memset(d, 4, 20);
  int ok = (uintptr_t)a % 64 == 0 && (uintptr_t)b % 32 == 0 && (uintptr_t)c % 16 == 0 &&
           a[127] + ((char *)b)[99] + c[47] + d[19] == 10;
  free(d);
  free(c);
  free(b);
  free(a);
  free(NULL);
  printf("aligned and null ok: %d\n", ok);
  return ok ? 0 : 3;
}
