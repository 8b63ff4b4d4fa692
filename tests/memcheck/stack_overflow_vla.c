// Stack overflow: a variable-length array sized from input (80 KiB here).
// EXPECT: StackOverflow fn=sum_squares
// EXPECT-NATIVE: none
// DIFFERS: the native stack is 8 MiB, so an 80 KiB array fits.
// RUN: trap=stack overflow: sum_squares needs the C stack
static volatile int count = 20 * 1024;

__attribute__((noinline)) static long long sum_squares(int n) {
  int squares[n];
  for (int i = 0; i < n; ++i) squares[i] = i % 100;
  long long sum = 0;
  for (int i = 0; i < n; ++i) sum += squares[i] * squares[i];
  return sum;
}

int main(void) {
  return sum_squares(count) > 0 ? 0 : 1;
}
