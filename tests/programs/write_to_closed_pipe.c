// Writes to stdout until a write fails, then says why on stderr: run with stdout a pipe whose
// reader goes away (`wasmgrind run write_to_closed_pipe.wasm | head -c1`), it must see EPIPE
// (exit 0) rather than be killed by SIGPIPE. Exit 1: another error; 2: no write ever failed.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  static char block[4096];
  memset(block, 'x', sizeof block);
  // Far more than any pipe buffer: the reader is gone long before.
  for (long total = 0; total < (256L << 20); total += sizeof block) {
    if (write(1, block, sizeof block) < 0) {
      fprintf(stderr, "write: %s\n", errno == EPIPE ? "EPIPE" : strerror(errno));
      return errno == EPIPE ? 0 : 1;
    }
  }
  fprintf(stderr, "no write failed\n");
  return 2;
}
