// Host read past a block: write() (WASI fd_write) of 20 bytes from a 16-byte block.
// EXPECT: SyscallParam line=13 addr=after:0:16
// RUN: exit=0
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile size_t header_size = 20;  // the header grew; this allocation did not

int main(void) {
  char *header = malloc(16);
  memset(header, '-', 16);
  ssize_t written = write(1, header, header_size);
  free(header);
  return written < 0;
}
