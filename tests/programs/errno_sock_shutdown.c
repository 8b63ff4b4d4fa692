// sock_shutdown (and the other socket calls) on descriptors that are not sockets: NOTSOCK for
// stdio that is a file, pipe or terminal and for a directory, BADF for a descriptor that does
// not exist (the checks of the WASI test suite's sock_shutdown programs), INVAL for undefined
// sdflags bits. wasi-libc's shutdown() passes the errno through. Run with stdout not a socket and fd 3 a directory.
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "errno_check.h"

int main(void) {
  CHECK_ERRNO(__wasi_sock_shutdown(STDOUT_FILENO, __WASI_SDFLAGS_RD), __WASI_ERRNO_NOTSOCK);
  CHECK_ERRNO(__wasi_sock_shutdown(STDIN_FILENO, __WASI_SDFLAGS_WR), __WASI_ERRNO_NOTSOCK);
  CHECK_ERRNO(__wasi_sock_shutdown(kScratch, __WASI_SDFLAGS_RD | __WASI_SDFLAGS_WR),
              __WASI_ERRNO_NOTSOCK);
  CHECK_ERRNO(__wasi_sock_shutdown(99, __WASI_SDFLAGS_RD), __WASI_ERRNO_BADF);
  CHECK_ERRNO(__wasi_sock_shutdown(0xffffffffu, __WASI_SDFLAGS_RD), __WASI_ERRNO_BADF);
  __wasi_fd_t fd;
  CHECK_ERRNO(__wasi_sock_accept(STDOUT_FILENO, 0, &fd), __WASI_ERRNO_NOTSOCK);
  CHECK_ERRNO(__wasi_sock_accept(99, 0, &fd), __WASI_ERRNO_BADF);
  // Undefined flag bits come first, as Wasmtime decodes them.
  CHECK_ERRNO(__wasi_sock_shutdown(STDOUT_FILENO, 4), __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_sock_shutdown(99, 0x80), __WASI_ERRNO_INVAL);
  CHECK_ERRNO(__wasi_sock_shutdown(STDOUT_FILENO, 0), __WASI_ERRNO_NOTSOCK);

  CHECK(shutdown(STDOUT_FILENO, SHUT_RD) == -1 && errno == ENOTSOCK);
  CHECK(shutdown(99, SHUT_WR) == -1 && errno == EBADF);
  puts("errno_sock_shutdown: ok");
  return 0;
}
