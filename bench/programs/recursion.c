/* recursion: call-heavy recursive functions: naive Fibonacci, Takeuchi's tak, and an N-queens
 * counter that recurses with bitmasks. Measures calls, returns and prologues/epilogues (including
 * the stack-limit check a wasm engine does on entry), not memory.
 * SIZE = the Fibonacci argument (tak and queens are scaled from it). */
#include "common.h"

__attribute__((noinline)) static uint32_t Fib(uint32_t n) { return n < 2 ? n : Fib(n - 1) + Fib(n - 2); }

__attribute__((noinline)) static int Tak(int x, int y, int z) {
  return y < x ? Tak(Tak(x - 1, y, z), Tak(y - 1, z, x), Tak(z - 1, x, y)) : z;
}

__attribute__((noinline)) static int Queens(int n, uint32_t cols, uint32_t diag1, uint32_t diag2) {
  uint32_t all = (1u << n) - 1;
  if (cols == all) return 1;
  int count = 0;
  for (uint32_t free_ = all & ~(cols | diag1 | diag2); free_; free_ &= free_ - 1) {
    uint32_t bit = free_ & -free_;
    count += Queens(n, cols | bit, (diag1 | bit) << 1 & all, (diag2 | bit) >> 1);
  }
  return count;
}

int main(int argc, char **argv) {
  long n = SizeArg(argc, argv, 43);
  if (n > 46) n = 46; /* keeps Fib(n) in 32 bits */
  int tak_x = (int)n - 12, tak_y = (int)n - 22, tak_z = (int)n - 32;
  int queens_n = (int)n - 28;
  if (queens_n < 4) queens_n = 4;
  if (queens_n > 14) queens_n = 14;
  uint32_t fib = Fib((uint32_t)n);
  int tak = Tak(tak_x, tak_y, tak_z);
  int queens = Queens(queens_n, 0, 0, 0);
  printf("recursion fib(%ld)=%u tak(%d,%d,%d)=%d queens(%d)=%d\n", n, fib, tak_x, tak_y, tak_z, tak, queens_n, queens);
  return 0;
}
