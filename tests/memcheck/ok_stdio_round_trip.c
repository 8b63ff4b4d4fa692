// Correct: stdio round trips through FILE streams with their own buffers: fprintf into a
// memory stream (fmemopen over a heap buffer never cleared), fgets the lines back, sscanf
// them apart; open_memstream grown by fprintf, read with sscanf; fputs/fgetc/ungetc/fread.
// Each stream's buffer holds undefined bytes past what was written, which no check may mind.
// EXPECT: none
// RUN: exit=0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

static void check(int ok, const char *what) {
  if (!ok) {
    printf("FAIL: %s\n", what);
    ++failures;
  }
}

int main(void) {
  enum { kSize = 4096 };
  char *storage = malloc(kSize);  // not cleared: fmemopen's "w+" writes a terminator only
  FILE *f = fmemopen(storage, kSize, "w+");
  check(f != NULL, "fmemopen");
  if (f == NULL) return 1;
  for (int i = 0; i < 40; ++i)
    fprintf(f, "item %d weight %.2f name %s\n", i, i * 1.25, i % 3 ? "bolt" : "nut");
  rewind(f);
  char line[128];
  int lines = 0, weight_sum = 0, nuts = 0;
  while (fgets(line, sizeof line, f) != NULL) {
    int id = -1;
    double weight = 0;
    char name[16];
    if (sscanf(line, "item %d weight %lf name %15s", &id, &weight, name) != 3) break;
    check(id == lines, "the lines come back in order");
    weight_sum += (int)(weight * 4);
    nuts += strcmp(name, "nut") == 0;
    ++lines;
  }
  check(lines == 40, "fgets read every line");
  check(weight_sum == 5 * (39 * 40 / 2), "sscanf read every weight");
  check(nuts == 14, "sscanf read every name");

  // Character I/O on the same stream.
  rewind(f);
  int c = fgetc(f);
  check(c == 'i', "fgetc");
  check(ungetc('I', f) == 'I' && fgetc(f) == 'I', "ungetc");
  char word[4];
  check(fread(word, 1, 3, f) == 3 && memcmp(word, "tem", 3) == 0, "fread");
  fclose(f);
  free(storage);

  // A stream that grows its own heap buffer.
  char *text = NULL;
  size_t length = 0;
  FILE *m = open_memstream(&text, &length);
  check(m != NULL, "open_memstream");
  if (m == NULL) return 1;
  for (int i = 0; i < 500; ++i) fprintf(m, "%d,", i);
  fputs("end", m);
  fclose(m);
  int first = -1, second = -1;
  char tail[8];
  check(sscanf(text, "%d,%d,", &first, &second) == 2 && first == 0 && second == 1,
        "sscanf of the memory stream");
  check(length == strlen(text) && sscanf(text + length - 4, ",%7s", tail) == 1 &&
            strcmp(tail, "end") == 0,
        "open_memstream's length");
  free(text);

  printf("stdio round trips %s\n", failures == 0 ? "ok" : "FAILED");
  return failures != 0;
}
