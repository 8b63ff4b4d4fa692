// A store far past the end of linear memory.
// expect-trap: MemoryOutOfBounds
// expect-memory-fault: store 4 0x7ffffff0
// expect-frames: poke store_oob.c:9 | main store_oob.c:14
#include <stdint.h>

__attribute__((noinline)) static void poke(uintptr_t address, int value) {
  volatile int *p = (volatile int *)address;
  *p = value;
}

int main(int argc, char **argv) {
  (void)argv;
  poke(0x7ffffff0u, argc);
  return 0;
}
// Under --memcheck (last, not to move the lines above):
// expect-signal: SIGSEGV
