// Invalid free: a pointer into the middle of a block, after the caller advanced it.
// EXPECT: InvalidFree line=14 addr=inside:3:16
// RUN: exit=0
#include <stdlib.h>
#include <string.h>

int main(void) {
  char *volatile text = malloc(16);
  strcpy(text, "key=value");
  char *cursor = text;
  while (*cursor != '=')
    ++cursor;
  ++cursor;  // "value"; cursor - 1 is the interior pointer text + 3
  free(cursor - 1);
  free(text);
  return 0;
}
