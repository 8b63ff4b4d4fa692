// Double free: an error path frees a buffer that the common cleanup then frees again.
// EXPECT: InvalidFree line=19 addr=freed:0:64
// RUN: exit=0
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static int parse(char *buffer, int fail) {
  strcpy(buffer, "input");
  if (fail) {
    free(buffer);
    return -1;
  }
  return 0;
}

static volatile int cleaned;

__attribute__((noinline)) static void cleanup(char *buffer) {
  free(buffer);
  cleaned = 1;  // keeps free from being a tail call (natively a jump, without this frame)
}

int main(int argc, char **argv) {
  (void)argv;
  char *buffer = malloc(64);
  parse(buffer, argc > 0);
  cleanup(buffer);
  return 0;
}
