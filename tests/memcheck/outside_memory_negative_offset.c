// Outside linear memory: a negative offset (1 GiB back from a buffer) wraps below address 0,
// which on wasm32 is near the top of the 4 GiB address space, past the end of linear memory.
// EXPECT: InvalidRead size=1 line=18 addr=outside-memory
// EXPECT-NATIVE: InvalidRead size=1 line=18 addr=unknown
// DIFFERS: natively the address is below 0 (not mapped, not even canonical), which Valgrind
// DIFFERS: describes as not stack'd, malloc'd or free'd (and the process dies of SIGSEGV);
// DIFFERS: wasm32 addresses wrap, and the checker knows the address is past the end of linear
// DIFFERS: memory.
// RUN: trap=out of bounds memory access
static char history[64] = "abcdef";
// Positions counted from the newest entry: a stale one lies 1 GiB back.
static volatile int newest = 3;
static volatile int stale = 0x40000003;

__attribute__((noinline)) static char entry(int position) {
  // The position should have been checked against the history's size.
  int back = newest - position;
  return history[back];
}

int main(void) {
  return entry(stale) == 'a' ? 0 : 1;
}
