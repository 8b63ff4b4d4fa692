// Correct: calloc'd memory is zeroed, so every byte of it may be read and decided on
// before it is written.
// EXPECT: none
// RUN: exit=0
#include <stdio.h>
#include <stdlib.h>

struct counts {
  int words;
  char seen[26];
  long long total;
};

int main(void) {
  int *zeros = calloc(1000, sizeof *zeros);
  for (int i = 0; i < 1000; ++i)
    if (zeros[i] != 0) return 1;
  struct counts *c = calloc(1, sizeof *c);
  const char *text = "the quick brown fox";
  for (const char *p = text; *p; ++p)
    if (*p >= 'a' && *p <= 'z') c->seen[*p - 'a'] = 1;
  int distinct = 0;
  for (int i = 0; i < 26; ++i) distinct += c->seen[i];  // the untouched ones are zero too
  if (c->words != 0 || c->total != 0) return 2;
  printf("calloc ok: %d distinct letters\n", distinct);
  free(c);
  free(zeros);
  return distinct == 15 ? 0 : 3;
}
