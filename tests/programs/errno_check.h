// Shared by the errno_*.c programs, which assert the errnos of one WASI preview1 behaviour
// each through raw __wasi_* calls (wasi-libc's wrappers would translate or pre-check them).
// CHECK_ERRNO(call, want): if the call returns another errno, prints a "FAIL:" line naming the
// call and both values and exits with status 1. A program prints "<name>: ok" only at its end.
#pragma once

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

#define CHECK_ERRNO(call, want) CheckErrno((call), (want), #call, __LINE__)
#define CHECK(cond) CheckErrno((cond) ? 0 : 1, 0, #cond, __LINE__)

static inline void CheckErrno(__wasi_errno_t got, __wasi_errno_t want, const char* what,
                              int line) {
  if (got == want) return;
  printf("FAIL: line %d: %s: errno %u, want %u\n", line, what, (unsigned)got, (unsigned)want);
  exit(1);
}

// The scratch directory the test preopens (the first --dir).
enum { kScratch = 3 };

static inline __wasi_rights_t BaseRights(__wasi_fd_t fd) {
  __wasi_fdstat_t st;
  CHECK_ERRNO(__wasi_fd_fdstat_get(fd, &st), __WASI_ERRNO_SUCCESS);
  return st.fs_rights_base;
}

static inline __wasi_rights_t InheritingRights(__wasi_fd_t fd) {
  __wasi_fdstat_t st;
  CHECK_ERRNO(__wasi_fd_fdstat_get(fd, &st), __WASI_ERRNO_SUCCESS);
  return st.fs_rights_inheriting;
}

// Creates (or truncates) `name` in `dir` holding `text`.
static inline void CreateFile(__wasi_fd_t dir, const char* name, const char* text) {
  __wasi_fd_t fd;
  CHECK_ERRNO(__wasi_path_open(dir, 0, name, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC,
                               __WASI_RIGHTS_FD_WRITE, 0, 0, &fd),
              __WASI_ERRNO_SUCCESS);
  __wasi_ciovec_t iov = {(const uint8_t*)text, strlen(text)};
  __wasi_size_t n;
  CHECK_ERRNO(__wasi_fd_write(fd, &iov, 1, &n), __WASI_ERRNO_SUCCESS);
  CHECK(n == strlen(text));
  CHECK_ERRNO(__wasi_fd_close(fd), __WASI_ERRNO_SUCCESS);
}
