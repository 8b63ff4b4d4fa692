// Exit codes: `exit_code return N` returns N from main, `exit_code exit N` calls exit(N)
// after buffered output (which must be flushed), `exit_code _exit N` calls _Exit(N).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char** argv) {
  if (argc < 3) return 100;
  int code = atoi(argv[2]);
  printf("exiting with %d via %s\n", code, argv[1]);
  if (strcmp(argv[1], "exit") == 0) exit(code);
  if (strcmp(argv[1], "_exit") == 0) {
    fflush(stdout);
    _Exit(code);
  }
  return code;
}
