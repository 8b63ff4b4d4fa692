// Correct: a buffer grown by realloc (doubling, then shrunk to fit), the new part always
// written before it is read; realloc(NULL, n) and free(NULL) are legal.
// EXPECT: none
// RUN: exit=0
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  size_t capacity = 1, size = 0;
  int *items = realloc(NULL, capacity * sizeof *items);
  for (int i = 0; i < 1000; ++i) {
    if (size == capacity) {
      capacity *= 2;
      int *grown = realloc(items, capacity * sizeof *items);
      if (grown == NULL) return 1;
      items = grown;
    }
    items[size++] = i * 3;
  }
  int *fitted = realloc(items, size * sizeof *items);
  if (fitted == NULL) return 1;
  items = fitted;
  long long sum = 0;
  for (size_t i = 0; i < size; ++i) sum += items[i];
  free(items);
  free(NULL);
  printf("realloc ok: %lld\n", sum);
  return sum == 3LL * 999 * 1000 / 2 ? 0 : 1;
}
