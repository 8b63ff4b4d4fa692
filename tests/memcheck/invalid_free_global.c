// Invalid free: a pointer to a global array, as if it had come from malloc.
// EXPECT: InvalidFree line=18 addr=global
// RUN: exit=0
#include <stdlib.h>
#include <string.h>

static char default_name[32] = "default";

__attribute__((noinline)) static char *name_or_default(int use_heap) {
  if (use_heap)
    return strdup("from heap");
  return default_name;
}

static volatile int released;

__attribute__((noinline)) static void release(char *name) {
  free(name);
  released = 1;  // keeps free from being a tail call (natively a jump, without this frame)
}

int main(int argc, char **argv) {
  (void)argv;
  release(name_or_default(argc > 5));
  return 0;
}
