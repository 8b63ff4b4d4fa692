// Mismatched free: an array from new[] released with plain delete.
// EXPECT: MismatchedFree line=14 addr=inside:0:40
// RUN: exit=0

__attribute__((noinline)) static int *make_table() {
  int *table = new int[10];
  for (int i = 0; i < 10; ++i) table[i] = i * i;
  return table;
}

static volatile int released;

__attribute__((noinline)) static void release(int *table) {
  delete table;
  released = 1;  // keeps the delete from being a tail call (natively a jump, without this frame)
}

int main() {
  release(make_table());
  return 0;
}
