// Definitely lost: strdup'd lines, one per loop iteration, none freed; one loss record of
// five blocks.
// EXPECT: Leak_DefinitelyLost bytes=35 blocks=5 line=15
// RUN: exit=0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile size_t total;

__attribute__((noinline)) static void process(int i) {
  char line[16];
  snprintf(line, sizeof line, "line %d", i);
  total += strlen(line);
  char *copy = strdup(line);
  total += (size_t)copy[0];
}

int main(void) {
  for (int i = 0; i < 5; ++i) process(i);
  return 0;
}
