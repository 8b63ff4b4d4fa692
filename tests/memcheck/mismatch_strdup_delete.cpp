// Mismatched free: a string from strdup (malloc) released with delete[].
// EXPECT: MismatchedFree line=13 addr=inside:0:6
// RUN: exit=0
#include <cstring>

static const char *volatile source = "hello";
// Where the pointer passes through, so that the optimizer cannot drop the allocation.
static char *volatile copy;

int main() {
  copy = strdup(source);
  copy[0] = 'H';
  delete[] copy;
  return 0;
}
