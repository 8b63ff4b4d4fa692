// An 8-byte load that starts 4 bytes before the end of linear memory (so it straddles the
// end): the report must give the load's own wasm address (end - 4), not the first faulting
// byte, and the memory's size.
#include <stdint.h>
#include <stdio.h>

__attribute__((noinline)) int64_t peek(const volatile int64_t* p) {
  return *p;
}

int main(void) {
  uintptr_t end = (uintptr_t)__builtin_wasm_memory_size(0) * 65536u;
  printf("memory ends at 0x%lx\n", (unsigned long)end);
  fflush(stdout);
  return (int)peek((const volatile int64_t*)(end - 4));
}
