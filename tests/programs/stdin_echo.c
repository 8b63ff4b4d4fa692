// stdin: waits for input with poll() (an fd_read subscription of poll_oneoff), then echoes
// every line numbered and upper-cased, and finally the byte count.
#include <ctype.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  struct pollfd p = {.fd = 0, .events = POLLIN};
  int ready = poll(&p, 1, 5000);
  printf("poll: %d %s\n", ready, (p.revents & POLLIN) ? "readable" : "not readable");
  char line[256];
  int n = 0;
  long bytes = 0;
  while (fgets(line, sizeof line, stdin)) {
    bytes += (long)strlen(line);
    for (char* c = line; *c; ++c) *c = (char)toupper((unsigned char)*c);
    printf("%d: %s", ++n, line);
  }
  printf("lines=%d bytes=%ld eof=%d\n", n, bytes, feof(stdin) != 0);
  return 0;
}
