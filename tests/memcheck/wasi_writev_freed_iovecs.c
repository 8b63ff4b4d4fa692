// Host read of freed memory: writev() (WASI fd_write) given an iovec array that was freed.
// EXPECT: SyscallParam line=20 addr=freed:0:16
// EXPECT-NATIVE: SyscallParam line=20 addr=freed:0:32
// DIFFERS: a struct iovec is 8 bytes on wasm32 and 16 natively, so the freed array of two is
// DIFFERS: 16 bytes on wasm32 and 32 natively.
// RUN: exit=0
#include <stdlib.h>
#include <sys/uio.h>

static char line[] = "iovec\n";

int main(void) {
  struct iovec *parts = malloc(2 * sizeof *parts);
  parts[0].iov_base = line;
  parts[0].iov_len = 3;
  parts[1].iov_base = line + 3;
  parts[1].iov_len = 3;
  struct iovec *stale = parts;
  free(parts);
  ssize_t written = writev(1, stale, 2);
  return written < 0;
}
