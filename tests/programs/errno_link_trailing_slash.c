// path_link with a trailing '/' on either path: a path ending in '/' names a directory, so
// (as Wasmtime reports it) NOENT if nothing is there, NOTDIR if a file is (Linux says EEXIST
// for a new name `file/`, node too), and for a directory the link's own error: EXIST for the
// new name, PERM for linking a directory. Without the slash the link is made. Needs a
// scratch directory as fd 3.
#include "errno_check.h"

int main(void) {
  const __wasi_fd_t d = kScratch;
  CreateFile(d, "file", "x");
  CHECK_ERRNO(__wasi_path_create_directory(d, "dir"), __WASI_ERRNO_SUCCESS);

  CHECK_ERRNO(__wasi_path_link(d, 0, "file", d, "link/"), __WASI_ERRNO_NOENT);
  CHECK_ERRNO(__wasi_path_link(d, 0, "file/", d, "link"), __WASI_ERRNO_NOTDIR);
  CHECK_ERRNO(__wasi_path_link(d, 0, "file/", d, "link/"), __WASI_ERRNO_NOTDIR);
  CHECK_ERRNO(__wasi_path_link(d, 0, "missing/", d, "link"), __WASI_ERRNO_NOENT);
  CHECK_ERRNO(__wasi_path_link(d, 0, "file", d, "dir/"), __WASI_ERRNO_EXIST);
  CHECK_ERRNO(__wasi_path_link(d, 0, "dir/", d, "link"), __WASI_ERRNO_PERM);
  CHECK_ERRNO(__wasi_path_link(d, 0, "dir", d, "link"), __WASI_ERRNO_PERM);
  __wasi_filestat_t st;  // none of those made a link
  CHECK_ERRNO(__wasi_path_filestat_get(d, 0, "link", &st), __WASI_ERRNO_NOENT);

  CHECK_ERRNO(__wasi_path_link(d, 0, "file", d, "link"), __WASI_ERRNO_SUCCESS);
  CHECK_ERRNO(__wasi_path_filestat_get(d, 0, "link", &st), __WASI_ERRNO_SUCCESS);
  CHECK(st.nlink == 2);
  CHECK_ERRNO(__wasi_path_link(d, 0, "file", d, "link"), __WASI_ERRNO_EXIST);
  CHECK_ERRNO(__wasi_path_link(d, 0, "file", d, "link/"), __WASI_ERRNO_NOTDIR);
  CHECK_ERRNO(__wasi_path_link(d, 0, "file", d, "file"), __WASI_ERRNO_EXIST);
  // A symlink to a directory, with the slash, is that directory.
  CHECK_ERRNO(__wasi_path_symlink("dir", d, "dirlink"), __WASI_ERRNO_SUCCESS);
  CHECK_ERRNO(__wasi_path_link(d, 0, "file", d, "dirlink/"), __WASI_ERRNO_EXIST);
  CHECK_ERRNO(__wasi_path_link(d, 0, "dirlink/", d, "link2"), __WASI_ERRNO_PERM);

  CHECK_ERRNO(__wasi_path_unlink_file(d, "dirlink"), __WASI_ERRNO_SUCCESS);
  CHECK_ERRNO(__wasi_path_unlink_file(d, "link"), __WASI_ERRNO_SUCCESS);
  CHECK_ERRNO(__wasi_path_unlink_file(d, "file"), __WASI_ERRNO_SUCCESS);
  CHECK_ERRNO(__wasi_path_remove_directory(d, "dir"), __WASI_ERRNO_SUCCESS);
  puts("errno_link_trailing_slash: ok");
  return 0;
}
