// libc replacement in C++: memset over a new[]'d array with a byte count for twice the size.
// EXPECT: InvalidWrite line=13
// RUN: exit=0
#include <cstring>

static volatile std::size_t count = 16;
static int *volatile keep;

int main() {
  int *values = new int[count / 2];
  keep = values;
  // Clears count ints: a count of elements passed as if it were the array's size.
  std::memset(values, 0, count * sizeof(int));
  int ok = values[0] == 0;
  delete[] values;
  return ok ? 0 : 1;
}
