// A wild store far past the end of linear memory, two calls deep. `wasmgrind run` must report
// an out-of-bounds trap at wasm address 0x7ffffff0 (a 4-byte store) with the backtrace
// poke <- scribble <- main and their source lines (checked by tests/unit/tool/fault_report_test).
#include <stdint.h>
#include <stdio.h>

__attribute__((noinline)) void poke(volatile int32_t* p, int32_t v) {
  *p = v;
}

__attribute__((noinline)) void scribble(uintptr_t address) {
  poke((volatile int32_t*)address, 42);
}

int main(int argc, char** argv) {
  (void)argv;
  printf("before fault\n");
  fflush(stdout);
  scribble(0x7ffffff0u + (uintptr_t)(argc - 1));
  return 0;
}
