// Still reachable: a lazily built cache in a static variable, never torn down.
// EXPECT: Leak_StillReachable bytes=400 blocks=1 line=12
// VALGRIND: --show-leak-kinds=all
// RUN: exit=0
#include <stdlib.h>

// Not static: LLVM turns a static that only ever holds one malloc result into a static array.
int *squares;

__attribute__((noinline)) static int square(int i) {
  if (squares == NULL) {
    squares = malloc(100 * sizeof(int));
    for (int k = 0; k < 100; ++k) squares[k] = k * k;
  }
  return squares[i];
}

int main(void) {
  return square(9) == 81 && square(3) == 9 ? 0 : 1;
}
