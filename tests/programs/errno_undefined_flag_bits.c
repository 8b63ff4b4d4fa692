// Flag bits the witx does not define are INVAL and change nothing: fdflags (it has APPEND,
// DSYNC, NONBLOCK, RSYNC, SYNC: bits 0-4) in fd_fdstat_set_flags and path_open, and the
// lookupflags, oflags and rights of the path calls. The fdflags Linux cannot change on an
// open descriptor are NOTSUP. Needs a scratch directory as fd 3.
#include "errno_check.h"

static __wasi_fdflags_t Flags(__wasi_fd_t fd) {
  __wasi_fdstat_t st;
  CHECK_ERRNO(__wasi_fd_fdstat_get(fd, &st), __WASI_ERRNO_SUCCESS);
  return st.fs_flags;
}

int main(void) {
  const __wasi_rights_t kRights = __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS;
  __wasi_fd_t fd;
  CHECK_ERRNO(__wasi_path_open(kScratch, 0, "f", __WASI_OFLAGS_CREAT, kRights, 0, 1 << 5, &fd),
              __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_path_open(kScratch, 0, "f", __WASI_OFLAGS_CREAT, kRights, 0,
                               __WASI_FDFLAGS_APPEND | 0x8000, &fd),
              __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_path_open(kScratch, 1 << 1, "f", __WASI_OFLAGS_CREAT, kRights, 0, 0, &fd),
              __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_path_open(kScratch, 0, "f", __WASI_OFLAGS_CREAT | (1 << 4), kRights, 0, 0,
                               &fd),
              __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_path_open(kScratch, 0, "f", __WASI_OFLAGS_CREAT, kRights | (1ull << 30), 0,
                               0, &fd),
              __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_path_open(kScratch, 0, "f", __WASI_OFLAGS_CREAT, kRights, 1ull << 63, 0,
                               &fd),
              __WASI_ERRNO_INVAL);
  __wasi_filestat_t st;  // not created
  CHECK_ERRNO(__wasi_path_filestat_get(kScratch, 0, "f", &st), __WASI_ERRNO_NOENT);

  CHECK_ERRNO(__wasi_path_open(kScratch, 0, "f", __WASI_OFLAGS_CREAT, kRights, 0, 0, &fd),
              __WASI_ERRNO_SUCCESS);
  CHECK_ERRNO(__wasi_fd_fdstat_set_flags(fd, 1 << 5), __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND | (1 << 15)),
              __WASI_ERRNO_INVAL);
  CHECK(Flags(fd) == 0);
  CHECK_ERRNO(__wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_SYNC), __WASI_ERRNO_NOTSUP);
  CHECK_ERRNO(__wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND), __WASI_ERRNO_SUCCESS);
  CHECK(Flags(fd) == __WASI_FDFLAGS_APPEND);
  // Inherited stdio (whose flags are emulated) too.
  CHECK_ERRNO(__wasi_fd_fdstat_set_flags(1, 1 << 7), __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_fd_close(fd), __WASI_ERRNO_SUCCESS);

  CHECK_ERRNO(__wasi_path_filestat_get(kScratch, 2, "f", &st), __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_path_filestat_set_times(kScratch, 0x80000000u, "f", 0, 0,
                                             __WASI_FSTFLAGS_ATIM_NOW),
              __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_path_filestat_set_times(kScratch, 0, "f", 0, 0, 1 << 4), __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_path_link(kScratch, 1 << 2, "f", kScratch, "g"), __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_path_filestat_get(kScratch, 0, "g", &st), __WASI_ERRNO_NOENT);
  CHECK_ERRNO(__wasi_path_unlink_file(kScratch, "f"), __WASI_ERRNO_SUCCESS);
  puts("errno_undefined_flag_bits: ok");
  return 0;
}
