// memcpy to a range that runs past the end of linear memory: wasmgrind runs memcpy natively
// (a libc replacement), whose report must still name the access the C function would make.
// expect-trap: MemoryOutOfBounds
// expect-memory-fault: store 256 0x1ff80
// expect-frames: memcpy | fill memcpy_oob.c:13 | main memcpy_oob.c:18
// expect-text: (256-byte store)
#include <stdint.h>
#include <string.h>

static char source[256] = "the bytes to copy";

__attribute__((noinline)) static void fill(uintptr_t address) {
  memcpy((void *)address, source, sizeof source);
}

int main(int argc, char **argv) {
  (void)argv;
  fill(0x1ff80u + (uintptr_t)(argc - 1));
  return 0;
}
// Under --memcheck (last, not to move the lines above):
// expect-signal: SIGSEGV
