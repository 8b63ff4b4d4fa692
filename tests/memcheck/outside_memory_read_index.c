// Outside linear memory: an index taken from corrupted input reads 2 GiB past a table, past
// the end of linear memory.
// EXPECT: InvalidRead size=4 line=15 addr=outside-memory
// EXPECT-NATIVE: InvalidRead size=4 line=15 addr=unknown
// DIFFERS: natively the address is unmapped memory, which Valgrind describes as not stack'd,
// DIFFERS: malloc'd or free'd (and the process dies of SIGSEGV); wasm32 knows the address is
// DIFFERS: past the end of linear memory.
// RUN: trap=out of bounds memory access
static int table[16] = {7};
// 2 GiB in ints, as a corrupted input file could give it.
static volatile unsigned index_from_input = 0x20000000u;

__attribute__((noinline)) static int lookup(unsigned i) {
  // No bounds check: the index is trusted.
  return table[i];
}

int main(void) {
  return lookup(index_from_input) == 7 ? 0 : 1;
}
