// Host read of freed memory: open() of a path string that was freed.
// EXPECT: InvalidRead line=19
// EXPECT-NATIVE: SyscallParam line=19 addr=freed:0:32
// DIFFERS: natively open() hands the path straight to the openat system call, which Valgrind
// DIFFERS: checks (SyscallParam). wasi-libc's open() first reads the path itself in wasm code
// DIFFERS: (looking for the preopened directory it lies in), so the first bad access is a read
// DIFFERS: in libc, reported in the caller's frame like any other.
// RUN: exit=0
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  char *path = malloc(32);
  strcpy(path, "/tmp/wasmgrind-missing-file");
  char *stale = path;
  free(path);
  int fd = open(stale, O_RDONLY);
  if (fd >= 0) close(fd);
  return 0;
}
