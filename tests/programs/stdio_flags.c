// Sets O_NONBLOCK and O_APPEND on its stdout (fd_fdstat_set_flags) and prints what it then
// sees (fd_fdstat_get). Run through the CLI, the host's stdout must not keep the flags.
#include <fcntl.h>
#include <stdio.h>

int main(void) {
  if (fcntl(1, F_SETFL, O_NONBLOCK | O_APPEND) != 0) {
    perror("fcntl F_SETFL");
    return 1;
  }
  int fl = fcntl(1, F_GETFL);
  printf("guest sees:%s%s\n", (fl & O_NONBLOCK) ? " nonblock" : "", (fl & O_APPEND) ? " append" : "");
  return 0;
}
