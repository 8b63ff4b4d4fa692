// Definitely lost: a block whose only pointer was a local of a function that returned.
// EXPECT: Leak_DefinitelyLost bytes=40 blocks=1 line=11
// RUN: exit=0
#include <stdlib.h>

// Where the pointer passes through, so that the optimizer cannot drop the allocation.
static int *volatile last_allocated;

__attribute__((noinline)) static void make_and_forget(void) {
  // The only pointer to the block
  int *numbers = malloc(10 * sizeof(int));
  last_allocated = numbers;
  for (int i = 0; i < 10; ++i) numbers[i] = i;
  last_allocated = NULL;
}

int main(void) {
  make_and_forget();
  return 0;
}
