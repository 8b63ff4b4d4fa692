// Correct: bit-fields of a malloc'd struct written one at a time: each write is a
// read-modify-write of a partly undefined word, and only written fields are read.
// EXPECT: none
// RUN: exit=0
#include <stdio.h>
#include <stdlib.h>

struct flags {
  unsigned ready : 1;
  unsigned mode : 3;
  unsigned level : 4;
  unsigned unused : 8;  // never written, never read
  unsigned count : 16;
};

int main(void) {
  struct flags *f = malloc(4 * sizeof *f);
  for (int i = 0; i < 4; ++i) {
    f[i].ready = i & 1;
    f[i].mode = (unsigned)i;
    f[i].level = 15 - (unsigned)i;
    f[i].count = (unsigned)i * 1000;
  }
  unsigned sum = 0;
  for (int i = 0; i < 4; ++i)
    if (f[i].ready) sum += f[i].mode + f[i].level + f[i].count;
  free(f);
  printf("bit-fields ok: %u\n", sum);
  return sum == (1 + 14 + 1000) + (3 + 12 + 3000) ? 0 : 1;
}
