// Uninitialised value: write() (WASI fd_write) of a heap buffer whose last bytes were never
// written.
// EXPECT: SyscallParam line=17 origin=heap:13
// RUN: exit=0
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *volatile last;

int main(void) {
  // Sized for a longer message than the one written into it.
  char *line = malloc(16);
  last = line;
  memcpy(line, "short\n", 6);
  // Sends the whole buffer: 10 of its bytes are undefined.
  ssize_t written = write(1, line, 16);
  free(line);
  return written < 0;
}
