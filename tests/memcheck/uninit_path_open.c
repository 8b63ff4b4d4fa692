// Uninitialised value: a path with undefined bytes (a file name a helper was meant to fill in)
// handed to the system: WASI's path_open, natively the openat system call, called directly so
// that no libc code reads the path first (uninit_open_path goes through open()).
// EXPECT: SyscallParam line=47 origin=heap:42
// RUN: exit=0
//
// wasm passes a path as a pointer and a length, the kernel takes a NUL-terminated string: both
// hand over the same bytes, the undefined name among them. The directory is fd 3, the first
// preopened one (run_memcheck.py gives one; under a plain run there is none and path_open
// fails with EBADF: the path was handed over all the same, and Valgrind checks a system call's
// arguments before it runs).
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef __wasm__
__attribute__((import_module("wasi_snapshot_preview1"), import_name("path_open"))) int32_t
wasi_path_open(int32_t dir_fd, int32_t lookup_flags, const char *path, size_t path_length,
               int32_t open_flags, int64_t rights, int64_t inherited_rights, int32_t fd_flags,
               int32_t *opened);
// Opens `length` bytes of `path` (no terminator) for reading (right 2: fd_read) in the first
// preopened directory: the fd, or -1. A macro, so that the call is on the caller's line.
#define OPEN_RAW(path, length)                                                      \
  ({                                                                                \
    int32_t opened_ = -1;                                                           \
    wasi_path_open(3, 0, (path), (length), 0, 2, 0, 0, &opened_) == 0 ? opened_ : -1; \
  })
#else
#include <sys/syscall.h>
#define OPEN_RAW(path, length) ((int)syscall(SYS_openat, AT_FDCWD, (path), O_RDONLY))
#endif

static volatile int have_name = 0;
static char *volatile last;

int main(void) {
  // "wasmgrind-" + an 8-byte name + ".log"
  const size_t prefix = 10, name = 8, length = prefix + name + 4;
  char *path = malloc(length + 1);
  last = path;
  memcpy(path, "wasmgrind-", prefix);
  if (have_name) memcpy(path + prefix, "sessions", name);
  memcpy(path + prefix + name, ".log", 5);
  int fd = OPEN_RAW(path, length);
  if (fd >= 0) close(fd);
  free(path);
  puts(fd >= 0 ? "opened" : "not opened");
  return 0;
}
