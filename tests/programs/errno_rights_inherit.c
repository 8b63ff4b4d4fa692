// Inheriting rights: a descriptor opened from a directory gets at most the directory's
// inheriting rights, and dropping them there is honoured afterwards (the truncation case of
// the WASI test suite: O_TRUNC needs PATH_FILESTAT_SET_SIZE on the directory, not
// FD_FILESTAT_SET_SIZE among its inheriting rights). Needs a scratch directory as fd 3.
#include "errno_check.h"

int main(void) {
  const __wasi_rights_t kFileRights = __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE |
                                      __WASI_RIGHTS_FD_FILESTAT_SET_SIZE;
  CreateFile(kScratch, "f", "content");
  __wasi_rights_t base = BaseRights(kScratch), inheriting = InheritingRights(kScratch);
  CHECK((inheriting & kFileRights) == kFileRights);
  CHECK((base & __WASI_RIGHTS_PATH_FILESTAT_SET_SIZE) != 0);

  // A second handle on the directory, whose inheriting rights lose WRITE and SET_SIZE.
  __wasi_fd_t dir, fd;
  CHECK_ERRNO(__wasi_path_open(kScratch, 0, ".", __WASI_OFLAGS_DIRECTORY, base, inheriting, 0,
                               &dir),
              __WASI_ERRNO_SUCCESS);
  __wasi_rights_t narrowed =
      inheriting & ~(__WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE);
  CHECK_ERRNO(__wasi_fd_fdstat_set_rights(dir, base, narrowed), __WASI_ERRNO_SUCCESS);
  CHECK(InheritingRights(dir) == narrowed);

  // Files opened from it do not get the dropped rights, whatever they ask for.
  CHECK_ERRNO(__wasi_path_open(dir, 0, "f", 0, kFileRights, kFileRights, 0, &fd),
              __WASI_ERRNO_SUCCESS);
  CHECK(BaseRights(fd) == __WASI_RIGHTS_FD_READ);
  CHECK((InheritingRights(fd) & kFileRights) == __WASI_RIGHTS_FD_READ);
  char buf[8];
  __wasi_ciovec_t out = {(const uint8_t*)"x", 1};
  __wasi_iovec_t in = {(uint8_t*)buf, sizeof buf};
  __wasi_size_t n;
  CHECK_ERRNO(__wasi_fd_write(fd, &out, 1, &n), __WASI_ERRNO_NOTCAPABLE);
  CHECK_ERRNO(__wasi_fd_filestat_set_size(fd, 0), __WASI_ERRNO_NOTCAPABLE);
  CHECK_ERRNO(__wasi_fd_read(fd, &in, 1, &n), __WASI_ERRNO_SUCCESS);
  CHECK(n == 7);
  CHECK_ERRNO(__wasi_fd_close(fd), __WASI_ERRNO_SUCCESS);
  // Nor do directories opened from it, nor what those open in turn.
  __wasi_fd_t subdir;
  CHECK_ERRNO(__wasi_path_open(dir, 0, ".", __WASI_OFLAGS_DIRECTORY, base, inheriting, 0,
                               &subdir),
              __WASI_ERRNO_SUCCESS);
  CHECK((InheritingRights(subdir) & kFileRights) == __WASI_RIGHTS_FD_READ);
  CHECK_ERRNO(__wasi_path_open(subdir, 0, "f", 0, kFileRights, 0, 0, &fd), __WASI_ERRNO_SUCCESS);
  CHECK(BaseRights(fd) == __WASI_RIGHTS_FD_READ);
  CHECK_ERRNO(__wasi_fd_close(fd), __WASI_ERRNO_SUCCESS);

  // Truncating through the path needs the directory's PATH_FILESTAT_SET_SIZE only.
  CHECK_ERRNO(__wasi_path_open(dir, 0, "f", __WASI_OFLAGS_TRUNC, 0, 0, 0, &fd),
              __WASI_ERRNO_SUCCESS);
  __wasi_filestat_t st;
  CHECK_ERRNO(__wasi_path_filestat_get(kScratch, 0, "f", &st), __WASI_ERRNO_SUCCESS);
  CHECK(st.size == 0);
  CHECK_ERRNO(__wasi_fd_close(fd), __WASI_ERRNO_SUCCESS);
  CreateFile(kScratch, "f", "content");
  CHECK_ERRNO(__wasi_fd_fdstat_set_rights(dir, base & ~__WASI_RIGHTS_PATH_FILESTAT_SET_SIZE,
                                          narrowed),
              __WASI_ERRNO_SUCCESS);
  CHECK_ERRNO(__wasi_path_open(dir, 0, "f", __WASI_OFLAGS_TRUNC, 0, 0, 0, &fd),
              __WASI_ERRNO_NOTCAPABLE);
  CHECK_ERRNO(__wasi_path_filestat_get(kScratch, 0, "f", &st), __WASI_ERRNO_SUCCESS);
  CHECK(st.size == 7);
  CHECK_ERRNO(__wasi_path_unlink_file(kScratch, "f"), __WASI_ERRNO_SUCCESS);
  puts("errno_rights_inherit: ok");
  return 0;
}
