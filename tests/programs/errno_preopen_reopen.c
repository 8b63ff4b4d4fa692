// path_open of a preopen's own path ("."): with exactly the preopen's rights it succeeds and
// the new descriptor has those rights; with no rights, or read only, too; asking for a
// directory with write rights is ISDIR (as open(2) with O_DIRECTORY|O_RDWR). Needs a scratch
// directory as fd 3.
#include "errno_check.h"

int main(void) {
  __wasi_prestat_t prestat;
  CHECK_ERRNO(__wasi_fd_prestat_get(kScratch, &prestat), __WASI_ERRNO_SUCCESS);
  CHECK(prestat.tag == __WASI_PREOPENTYPE_DIR);
  __wasi_fdstat_t pre;
  CHECK_ERRNO(__wasi_fd_fdstat_get(kScratch, &pre), __WASI_ERRNO_SUCCESS);
  CHECK(pre.fs_filetype == __WASI_FILETYPE_DIRECTORY);

  __wasi_fd_t fd;
  __wasi_fdstat_t st;
  CHECK_ERRNO(__wasi_path_open(kScratch, 0, ".", 0, pre.fs_rights_base, pre.fs_rights_inheriting,
                               0, &fd),
              __WASI_ERRNO_SUCCESS);
  CHECK_ERRNO(__wasi_fd_fdstat_get(fd, &st), __WASI_ERRNO_SUCCESS);
  CHECK(st.fs_filetype == __WASI_FILETYPE_DIRECTORY);
  CHECK(st.fs_rights_base == pre.fs_rights_base);
  CHECK(st.fs_rights_inheriting == pre.fs_rights_inheriting);
  CHECK_ERRNO(__wasi_fd_close(fd), __WASI_ERRNO_SUCCESS);

  CHECK_ERRNO(__wasi_path_open(kScratch, 0, ".", __WASI_OFLAGS_DIRECTORY, pre.fs_rights_base,
                               pre.fs_rights_inheriting, 0, &fd),
              __WASI_ERRNO_SUCCESS);
  CHECK_ERRNO(__wasi_path_open(kScratch, 0, ".", 0, 0, 0, 0, &fd), __WASI_ERRNO_SUCCESS);
  CHECK(BaseRights(fd) == 0);
  CHECK_ERRNO(__wasi_path_open(kScratch, 0, ".", __WASI_OFLAGS_DIRECTORY, 0, 0, 0, &fd),
              __WASI_ERRNO_SUCCESS);
  CHECK_ERRNO(__wasi_path_open(kScratch, 0, ".", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READ,
                               0, 0, &fd),
              __WASI_ERRNO_SUCCESS);
  CHECK_ERRNO(__wasi_path_open(kScratch, 0, ".", __WASI_OFLAGS_DIRECTORY,
                               __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0, 0, &fd),
              __WASI_ERRNO_ISDIR);
  CHECK_ERRNO(__wasi_path_open(kScratch, 0, ".", 0, __WASI_RIGHTS_FD_WRITE, 0, 0, &fd),
              __WASI_ERRNO_ISDIR);
  puts("errno_preopen_reopen: ok");
  return 0;
}
