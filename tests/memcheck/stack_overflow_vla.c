// Stack overflow: a variable-length array sized from input (80 KiB here, more than wasm-ld's
// 64 KiB C stack).
// EXPECT: InvalidWrite size=4 line=15 addr=outside-memory
// EXPECT-NATIVE: none
// DIFFERS: the native stack is 8 MiB, so an 80 KiB array fits. In wasm the array's address
// DIFFERS: wraps below 0, and clang does not store it in __stack_pointer (the function calls
// DIFFERS: nothing), so no stack pointer move shows the overflow: the first store into the array
// DIFFERS: is outside linear memory. The checker reports that store, then the run stops as a
// DIFFERS: trap does.
// RUN: trap=out of bounds memory access
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
