// Host read of freed memory: writev() (WASI fd_write with two iovecs) whose second buffer
// was freed.
// EXPECT: SyscallParam line=20 addr=freed:0:8
// RUN: exit=0
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

int main(void) {
  char *prefix = malloc(8);
  char *body = malloc(8);
  strcpy(prefix, "pre:");
  strcpy(body, "body\n");
  struct iovec parts[2] = {
      {prefix, strlen(prefix)},
      {body, strlen(body)},
  };
  free(body);
  // The iovec still points at body.
  ssize_t written = writev(1, parts, 2);
  free(prefix);
  return written < 0;
}
