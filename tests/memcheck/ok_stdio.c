// Correct: stdio with its own buffers: setvbuf with a heap buffer, fputs/fputc/fwrite/puts,
// sprintf and sscanf round trips, a fully buffered stdout flushed at exit.
// EXPECT: none
// RUN: exit=0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *out_buffer;

int main(void) {
  out_buffer = malloc(BUFSIZ);
  setvbuf(stdout, out_buffer, _IOFBF, BUFSIZ);
  for (int i = 0; i < 300; ++i) {
    char line[64];
    int n = sprintf(line, "line %03d: %s\n", i, i % 2 ? "odd" : "even");
    fwrite(line, 1, (size_t)n, stdout);
  }
  fputs("fputs\n", stdout);
  fputc('c', stdout);
  fputc('\n', stdout);
  puts("puts");
  int day = 0, year = 0;
  char month[16];
  double ratio = 0;
  int fields = sscanf("14 March 2015 0.75", "%d %15s %d %lf", &day, month, &year, &ratio);
  fprintf(stderr, "stderr is unbuffered\n");
  int ok = fields == 4 && day == 14 && strcmp(month, "March") == 0 && year == 2015 && ratio == 0.75;
  printf("stdio %s\n", ok ? "ok" : "FAILED");
  fflush(stdout);
  setvbuf(stdout, NULL, _IONBF, 0);  // before the buffer goes away
  free(out_buffer);
  return ok ? 0 : 1;
}
