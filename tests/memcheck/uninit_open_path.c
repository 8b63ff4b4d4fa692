// Uninitialised value: open() of a path whose middle (a file name a helper was meant to fill
// in) was never written.
// EXPECT: UninitCondition|UninitValue line=34 origin=heap:29
// EXPECT-NATIVE: SyscallParam line=34 origin=heap:29
// DIFFERS: natively open() hands the path straight to the openat system call, which Valgrind
// DIFFERS: checks ("Syscall param openat(filename) points to uninitialised byte(s)"). wasi-libc's
// DIFFERS: open() first reads the path in wasm code (its length, and which preopened directory
// DIFFERS: it lies in), and those branches on the undefined bytes are the first uses, reported
// DIFFERS: inside libc with this line in the stack; no preopened directory holds /tmp here, so
// DIFFERS: the path never reaches path_open (uninit_path_open tests that WASI check itself).
// RUN: exit=0
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile int have_name = 0;

__attribute__((noinline)) static void fill_name(char *name) {
  if (have_name) memcpy(name, "sessions", 8);
}

static char *volatile last;

int main(void) {
  // "/tmp/wasmgrind-" + an 8-byte name + ".log"
  const size_t prefix = 15, name = 8;
  char *path = malloc(prefix + name + 5);
  last = path;
  memcpy(path, "/tmp/wasmgrind-", prefix);
  fill_name(path + prefix);
  memcpy(path + prefix + name, ".log", 5);
  int fd = open(path, O_RDONLY);
  if (fd >= 0) close(fd);
  free(path);
  puts(fd >= 0 ? "opened" : "not opened");
  return 0;
}
