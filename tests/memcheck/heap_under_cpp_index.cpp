// Heap underflow write in C++: an index computed as `value - 1` for value 0.
// EXPECT: InvalidWrite size=8 line=9 addr=before:8:80
// RUN: exit=0

// Records where each value 1..10 was last seen.
__attribute__((noinline)) static void last_seen(long long *positions, const int *values, int n) {
  for (int i = 0; i < n; ++i) {
    int slot = values[i] - 1;  // values are 1..10, except the bad one
    positions[slot] = i;
  }
}

int main() {
  long long *positions = new long long[10]();
  const int values[] = {3, 1, 10, 0, 4};
  last_seen(positions, values, 5);
  int ok = positions[2] == 0 && positions[9] == 2;
  delete[] positions;
  return ok ? 0 : 1;
}
