// Correct: qsort and bsearch over heap arrays of ints and of structs with padding.
// EXPECT: none
// RUN: exit=0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
  char tag;  // followed by padding
  int key;
  short weight;  // and more padding after it
};

static int compare_ints(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

static int compare_entries(const void *a, const void *b) {
  const struct entry *x = a, *y = b;
  return (x->key > y->key) - (x->key < y->key);
}

int main(void) {
  enum { N = 200 };
  int *values = malloc(N * sizeof *values);
  unsigned state = 12345;
  for (int i = 0; i < N; ++i) {
    state = state * 1103515245u + 12345u;
    values[i] = (int)(state >> 16) % 1000;
  }
  qsort(values, N, sizeof *values, compare_ints);
  for (int i = 1; i < N; ++i)
    if (values[i - 1] > values[i]) return 1;

  // Fields written one by one: the padding stays undefined, and qsort moves it around.
  struct entry *entries = malloc(N * sizeof *entries);
  for (int i = 0; i < N; ++i) {
    entries[i].tag = (char)('a' + i % 26);
    entries[i].key = (i * 7919) % N;
    entries[i].weight = (short)i;
  }
  qsort(entries, N, sizeof *entries, compare_entries);
  for (int i = 0; i < N; ++i)
    if (entries[i].key != i) return 2;
  struct entry probe = {0, 123, 0};
  struct entry *found = bsearch(&probe, entries, N, sizeof *entries, compare_entries);
  if (found == NULL || found->key != 123) return 3;

  printf("qsort ok: smallest %d, largest %d\n", values[0], values[N - 1]);
  free(entries);
  free(values);
  return 0;
}
