// Heap overflow write: room for the characters of a string but not its terminator.
// EXPECT: InvalidWrite size=1 line=13 addr=after:0:5
// RUN: exit=0
#include <stdlib.h>

static const char *volatile word = "hello";

__attribute__((noinline)) static char *copy_word(const char *w, size_t n) {
  char *copy = malloc(n);
  size_t i = 0;
  for (; i < n; ++i)
    copy[i] = w[i];
  copy[i] = '\0';
  return copy;
}

int main(void) {
  char *copy = copy_word(word, 5);
  free(copy);
  return 0;
}
