// Hello world: stdout and stderr through fd_write.
#include <stdio.h>

int main(void) {
  printf("Hello, world!\n");
  fprintf(stderr, "to stderr %d\n", 42);
  return 0;
}
