// Heap underflow write: "replace the previous character" at position 0 writes the byte
// before the block.
// EXPECT: InvalidWrite size=1 line=11 addr=before:1:32
// The byte before the block is the top byte of dlmalloc's chunk header in wasi-libc: without
// the checker the bad write corrupts the block's size and free() then loads from a wild address.
// RUN: trap=out of bounds memory access
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static void replace_previous(char *text, size_t position, char c) {
  text[position - 1] = c;
}

int main(void) {
  char *text = malloc(32);
  strcpy(text, "line");
  replace_previous(text, 4, 'E');
  replace_previous(text, 0, '^');  // no previous character
  int ok = strcmp(text, "linE") == 0;
  free(text);
  return ok ? 0 : 1;
}
