/* strings: text processing with libc's string functions: snprintf builds lines of words and
 * numbers, then strtok_r, strlen, strcmp, strchr, strstr, strtol, memcmp and toupper take them
 * apart again (a little like parsing a log). The time goes mostly into libc, so this compares
 * glibc's tuned routines natively against wasi-libc's portable C ones in wasm.
 * SIZE = number of lines per round (48 rounds). Checksum: counts and a hash of what was found. */
#define _POSIX_C_SOURCE 200809L /* strtok_r */
#include <ctype.h>
#include <string.h>

#include "common.h"

static const char *const kWords[] = {
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
    "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango",
    "uniform", "victor", "whiskey", "xray", "yankee", "zulu", "memory", "trap", "guard", "page",
};
#define NWORDS (sizeof kWords / sizeof kWords[0])

static uint64_t HashStr(uint64_t h, const char *s) {
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 0x100000001B3ull;
  return h;
}

int main(int argc, char **argv) {
  long lines = SizeArg(argc, argv, 60000);
  size_t cap = (size_t)lines * 160 + 1;
  char *text = malloc(cap);
  char *copy = malloc(cap);
  if (!text || !copy) return 1;
  Rng rng = RngSeeded(2024);
  uint64_t h = 0;
  long words = 0, numbers = 0, hits = 0, equal = 0, longest = 0;
  long long number_sum = 0;

  for (int round = 0; round < 48; round++) {
    /* Build: "id=<n> level=<word> msg=<word> <word> ... value=<n>;\n" */
    size_t len = 0;
    for (long i = 0; i < lines; i++) {
      uint64_t r = RngNext(&rng);
      len += (size_t)snprintf(text + len, cap - len, "id=%ld level=%s msg=", i * 31 + round, kWords[r % 5]);
      int nw = 3 + (int)((r >> 8) % 8);
      for (int w = 0; w < nw; w++) {
        const char *word = kWords[RngNext(&rng) % NWORDS];
        size_t wl = strlen(word);
        memcpy(text + len, word, wl);
        len += wl;
        text[len++] = w + 1 < nw ? ' ' : ',';
      }
      len += (size_t)snprintf(text + len, cap - len, " value=%d;\n", (int)(r >> 40) - 8000000);
    }
    text[len] = '\0';
    memcpy(copy, text, len + 1);

    /* Take it apart line by line. */
    char *save_line;
    for (char *line = strtok_r(copy, "\n", &save_line); line; line = strtok_r(NULL, "\n", &save_line)) {
      long l = (long)strlen(line);
      if (l > longest) longest = l;
      char *v = strstr(line, "value=");
      if (v) {
        number_sum += strtol(v + 6, NULL, 10);
        numbers++;
      }
      if (strstr(line, "memory trap")) hits++;
      char *msg = strchr(line, '=');
      msg = msg ? strstr(msg, "msg=") : NULL;
      if (!msg) continue;
      char *end = strchr(msg, ',');
      if (end) *end = '\0';
      char *save_word;
      const char *prev = "";
      for (char *w = strtok_r(msg + 4, " ", &save_word); w; w = strtok_r(NULL, " ", &save_word)) {
        words++;
        if (strcmp(w, prev) == 0) equal++;
        if (memcmp(w, "zulu", 4) == 0) h = HashStr(h, w);
        prev = w;
      }
    }
    /* Upper-case every line that mentions "guard" and hash it. */
    for (char *p = strstr(text, "guard"); p; p = strstr(p + 1, "guard")) {
      char *start = p;
      while (start > text && start[-1] != '\n') start--;
      char *nl = strchr(p, '\n');
      for (char *q = start; q < nl; q++) *q = (char)toupper((unsigned char)*q);
      char saved = *nl;
      *nl = '\0';
      h = HashStr(h, start);
      *nl = saved;
      p = nl;
    }
  }
  printf("strings lines=%ld words=%ld numbers=%ld sum=%lld hits=%ld equal=%ld longest=%ld hash=%016llx\n", lines,
         words, numbers, number_sum, hits, equal, longest, (unsigned long long)h);
  free(text);
  free(copy);
  return 0;
}
