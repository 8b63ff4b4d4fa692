// Descriptors left open at exit, for `wasmgrind run --memcheck --track-fds=yes|all`
// (tests/unit/tool/track_fds_test.cc, which names the lines of the calls below: keep them
// where they are). Run with a directory preopened as /sandbox (fd 3): kept.txt stays open at
// fd 4; closed.txt is closed; moved.txt is renumbered onto target.txt's fd 5, as freopen
// does, and fd 6 is free again.
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <wasi/libc.h>

int main(void) {
  int kept = open("/sandbox/kept.txt", O_CREAT | O_WRONLY, 0644);
  int closed = open("/sandbox/closed.txt", O_CREAT | O_WRONLY, 0644);
  close(closed);
  int target = open("/sandbox/target.txt", O_CREAT | O_WRONLY, 0644);
  int moved = open("/sandbox/moved.txt", O_CREAT | O_WRONLY, 0644);
  int renumbered = __wasilibc_fd_renumber(moved, target);
  printf("kept %d, closed %d, target %d, moved %d, renumbered %d\n", kept, closed, target, moved,
         renumbered);
  return 0;
}
