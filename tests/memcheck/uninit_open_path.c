// Uninitialised value: open() of a path whose first part (a directory name a helper was meant
// to fill in) was never written.
// EXPECT: UninitCondition|UninitValue line=32 origin=heap:28
// EXPECT-NATIVE: SyscallParam line=32 origin=heap:28
// DIFFERS: natively open() hands the path straight to the openat system call, which Valgrind
// DIFFERS: checks ("Syscall param openat(filename) points to uninitialised byte(s)"). wasi-libc's
// DIFFERS: open() first looks in wasm code for the preopened directory the path lies in; its
// DIFFERS: branches on the undefined name are the first uses, reported inside libc with this
// DIFFERS: line in the stack (uninit_path_open hands such a path to WASI's path_open itself).
// RUN: exit=0
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile int have_directory = 0;

__attribute__((noinline)) static void fill_directory(char *name) {
  if (have_directory) memcpy(name, "sessions", 8);
}

static char *volatile last;

int main(void) {
  // An 8-byte directory name + "/today.log", relative to the current directory.
  const size_t directory = 8;
  char *path = malloc(directory + 11);
  last = path;
  fill_directory(path);
  memcpy(path + directory, "/today.log", 11);
  int fd = open(path, O_RDONLY);
  if (fd >= 0) close(fd);
  free(path);
  puts(fd >= 0 ? "opened" : "not opened");
  return 0;
}
