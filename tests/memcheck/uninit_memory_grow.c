// Uninitialised value: a bump allocator takes a fresh page from memory.grow, outside any
// malloc block, and a record's flag is read before anything wrote it. The page is zero (wasm
// zeroes grown memory, as the kernel zeroes brk memory), but the program never set it:
// memory from memory.grow is undefined, as Valgrind treats memory from brk. `origin=grow`:
// Valgrind's bare "Uninitialised value was created" (README.md).
// EXPECT: UninitCondition line=37 origin=grow:34
// RUN: exit=0
//
// Natively the page comes from sbrk(), which grows the heap with brk: the nearest native
// equivalent of memory.grow, and how this program is confirmed under Valgrind (the origin's
// stack is brk, sbrk, then main at the same line).
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

// One 64 KiB page outside any malloc block, or (void *)-1, as sbrk returns it. A macro, so
// that the page is made on the caller's line in both builds.
#ifdef __wasm__
#define GROW_ONE_PAGE()                                               \
  ({                                                                  \
    size_t old_pages = __builtin_wasm_memory_grow(0, 1);              \
    old_pages == SIZE_MAX ? (void *)-1 : (void *)(old_pages * 65536); \
  })
#else
#define GROW_ONE_PAGE() sbrk(65536)
#endif

struct record {
  int live;
  int value;
};

int main(void) {
  struct record *arena = GROW_ONE_PAGE();
  if (arena == (void *)-1) return 1;
  arena[0].value = 7;  // forgets live
  if (arena[0].live) puts("live");
  printf("value %d\n", arena[0].value);
  return 0;
}
