// Host read of freed memory: write() (WASI fd_write) of a message buffer after it was freed.
// EXPECT: SyscallParam line=15 addr=freed:0:16
// RUN: exit=0
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  char *message = malloc(16);
  strcpy(message, "queued line\n");
  size_t length = strlen(message);
  if (write(1, message, length) < 0)
    return 1;
  free(message);
  if (write(1, message, length) < 0)  // a retry path that kept the freed buffer
    return 1;
  return 0;
}
