// libc replacement: strlen of a block filled with characters and no terminator.
// EXPECT: InvalidRead size=1 line=13 addr=after:0:8
// RUN: exit=0
#include <stdlib.h>
#include <string.h>

static volatile size_t sink;

int main(void) {
  char *word = malloc(8);
  memset(word, 'w', 8);  // forgot the '\0'
  word[7] = 'w';
  sink = strlen(word);
  free(word);
  return 0;
}
