// path_symlink with a trailing '/' on the new link's path, the cases of the WASI test suite
// (path_symlink_trailing_slashes) as Wasmtime passes them on Unix: NOENT when nothing is
// there, EXIST for a directory, NOTDIR for a file; without the slash, EXIST for anything that
// exists, and a dangling link is made. Needs a scratch directory as fd 3.
#include "errno_check.h"

int main(void) {
  const __wasi_fd_t d = kScratch;
  CHECK_ERRNO(__wasi_path_symlink("source", d, "target/"), __WASI_ERRNO_NOENT);
  CHECK_ERRNO(__wasi_path_symlink("source", d, "target"), __WASI_ERRNO_SUCCESS);
  CHECK_ERRNO(__wasi_path_symlink("source", d, "target"), __WASI_ERRNO_EXIST);
  CHECK_ERRNO(__wasi_path_unlink_file(d, "target"), __WASI_ERRNO_SUCCESS);

  CHECK_ERRNO(__wasi_path_create_directory(d, "target"), __WASI_ERRNO_SUCCESS);
  CHECK_ERRNO(__wasi_path_symlink("source", d, "target/"), __WASI_ERRNO_EXIST);
  CHECK_ERRNO(__wasi_path_symlink("source", d, "target"), __WASI_ERRNO_EXIST);
  CHECK_ERRNO(__wasi_path_remove_directory(d, "target"), __WASI_ERRNO_SUCCESS);

  CreateFile(d, "target", "x");
  CHECK_ERRNO(__wasi_path_symlink("source", d, "target/"), __WASI_ERRNO_NOTDIR);
  CHECK_ERRNO(__wasi_path_symlink("source", d, "target"), __WASI_ERRNO_EXIST);
  CHECK_ERRNO(__wasi_path_unlink_file(d, "target"), __WASI_ERRNO_SUCCESS);

  // The target text is only text: a trailing '/' there is kept in the link.
  CHECK_ERRNO(__wasi_path_symlink("source/", d, "target"), __WASI_ERRNO_SUCCESS);
  char buf[16];
  __wasi_size_t n;
  CHECK_ERRNO(__wasi_path_readlink(d, "target", (uint8_t*)buf, sizeof buf, &n),
              __WASI_ERRNO_SUCCESS);
  CHECK(n == 7 && memcmp(buf, "source/", 7) == 0);
  CHECK_ERRNO(__wasi_path_unlink_file(d, "target"), __WASI_ERRNO_SUCCESS);
  puts("errno_symlink_trailing_slash: ok");
  return 0;
}
