// fd_fdstat_set_rights: dropping rights succeeds and is enforced afterwards (NOTCAPABLE), and
// rights never grow back (NOTCAPABLE, nothing changed). Needs a scratch directory as fd 3.
#include "errno_check.h"

int main(void) {
  const __wasi_rights_t kKept = __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL |
                                __WASI_RIGHTS_FD_FILESTAT_GET;
  const __wasi_rights_t kDropped = __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE |
                                   __WASI_RIGHTS_FD_FILESTAT_SET_SIZE;
  __wasi_fd_t fd;
  CHECK_ERRNO(__wasi_path_open(kScratch, 0, "file", __WASI_OFLAGS_CREAT, kKept | kDropped, 0, 0,
                               &fd),
              __WASI_ERRNO_SUCCESS);
  CHECK(BaseRights(fd) == (kKept | kDropped));
  char data[4] = "abc";
  __wasi_ciovec_t out = {(const uint8_t*)data, 3};
  __wasi_iovec_t in = {(uint8_t*)data, 3};
  __wasi_size_t n;
  CHECK_ERRNO(__wasi_fd_write(fd, &out, 1, &n), __WASI_ERRNO_SUCCESS);
  CHECK_ERRNO(__wasi_fd_filestat_set_size(fd, 2), __WASI_ERRNO_SUCCESS);

  CHECK_ERRNO(__wasi_fd_fdstat_set_rights(fd, kKept, 0), __WASI_ERRNO_SUCCESS);
  CHECK(BaseRights(fd) == kKept);
  CHECK_ERRNO(__wasi_fd_read(fd, &in, 1, &n), __WASI_ERRNO_NOTCAPABLE);
  CHECK_ERRNO(__wasi_fd_write(fd, &out, 1, &n), __WASI_ERRNO_NOTCAPABLE);
  CHECK_ERRNO(__wasi_fd_pwrite(fd, &out, 1, 0, &n), __WASI_ERRNO_NOTCAPABLE);
  CHECK_ERRNO(__wasi_fd_filestat_set_size(fd, 0), __WASI_ERRNO_NOTCAPABLE);
  __wasi_filesize_t pos;  // the rights kept still work
  CHECK_ERRNO(__wasi_fd_seek(fd, 0, __WASI_WHENCE_END, &pos), __WASI_ERRNO_SUCCESS);
  CHECK(pos == 2);
  __wasi_filestat_t st;
  CHECK_ERRNO(__wasi_fd_filestat_get(fd, &st), __WASI_ERRNO_SUCCESS);

  // Rights only shrink: asking for one back, base or inheriting, fails and changes nothing.
  CHECK_ERRNO(__wasi_fd_fdstat_set_rights(fd, kKept | __WASI_RIGHTS_FD_READ, 0),
              __WASI_ERRNO_NOTCAPABLE);
  CHECK_ERRNO(__wasi_fd_fdstat_set_rights(fd, kKept, __WASI_RIGHTS_FD_READ),
              __WASI_ERRNO_NOTCAPABLE);
  CHECK(BaseRights(fd) == kKept);
  CHECK_ERRNO(__wasi_fd_read(fd, &in, 1, &n), __WASI_ERRNO_NOTCAPABLE);
  // Dropping more works; so does asking for what is already there.
  CHECK_ERRNO(__wasi_fd_fdstat_set_rights(fd, kKept, 0), __WASI_ERRNO_SUCCESS);
  CHECK_ERRNO(__wasi_fd_fdstat_set_rights(fd, __WASI_RIGHTS_FD_TELL, 0), __WASI_ERRNO_SUCCESS);
  CHECK_ERRNO(__wasi_fd_seek(fd, 1, __WASI_WHENCE_SET, &pos), __WASI_ERRNO_NOTCAPABLE);
  CHECK_ERRNO(__wasi_fd_tell(fd, &pos), __WASI_ERRNO_SUCCESS);
  // Rights the witx does not define, and descriptors that do not exist.
  CHECK_ERRNO(__wasi_fd_fdstat_set_rights(fd, 1ull << 40, 0), __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_fd_fdstat_set_rights(99, 0, 0), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_fd_close(fd), __WASI_ERRNO_SUCCESS);

  // A directory's rights too: without PATH_CREATE_FILE it cannot create, it can still open.
  __wasi_fd_t dir;
  CHECK_ERRNO(__wasi_path_open(kScratch, 0, ".", __WASI_OFLAGS_DIRECTORY, BaseRights(kScratch),
                               InheritingRights(kScratch), 0, &dir),
              __WASI_ERRNO_SUCCESS);
  CHECK_ERRNO(__wasi_fd_fdstat_set_rights(dir, BaseRights(dir) & ~__WASI_RIGHTS_PATH_CREATE_FILE,
                                          InheritingRights(dir)),
              __WASI_ERRNO_SUCCESS);
  CHECK_ERRNO(__wasi_path_open(dir, 0, "new", __WASI_OFLAGS_CREAT, 0, 0, 0, &fd),
              __WASI_ERRNO_NOTCAPABLE);
  CHECK_ERRNO(__wasi_path_open(dir, 0, "file", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd),
              __WASI_ERRNO_SUCCESS);
  CHECK_ERRNO(__wasi_path_unlink_file(kScratch, "file"), __WASI_ERRNO_SUCCESS);
  puts("errno_rights_drop: ok");
  return 0;
}
