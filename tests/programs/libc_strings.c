/* wasi-libc's string and memory functions, for the libc replacement tests
 * (tests/unit/tool/libc_replacements_test.cc): run once with wasmgrind's native replacements and
 * once with --no-libc-replacements (the module's own musl code), the output must be identical.
 *
 * Without arguments: every replaced function on thousands of random cases over a small alphabet
 * (NUL, bytes >= 0x80, repeats, so that compares differ in sign and searches hit and miss),
 * with random offsets (unaligned) and lengths (including 0), folded into one hash per function,
 * plus a few cases printed in full.
 * With an argument, one case at the end of linear memory: "NAME-past-end" reads or writes past
 * it (both versions trap), "strchr-hit-before-end" finds its byte in an unterminated string
 * before the end (neither traps). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

char *stpcpy(char *restrict dst, const char *restrict src);
char *strchrnul(const char *s, int c);
void *memrchr(const void *s, int c, size_t n);

static uint32_t rng = 12345;
static uint32_t Next(void) {
  rng = rng * 1103515245u + 12345u;
  return rng >> 8;
}

static uint64_t hash;
static void Mix(uint64_t v) { hash = (hash ^ v) * 1099511628211ull; }

#define BUF 512
static unsigned char a[BUF + 64], b[BUF + 64];

static void Fill(unsigned char *p, size_t n) {
  static const unsigned char kAlphabet[] = {0, 'a', 'b', 'c', 0x80, 0xff, '\n', 'a', 'b', 'a'};
  for (size_t i = 0; i < n; i++) p[i] = kAlphabet[Next() % sizeof kAlphabet];
}

/* Random data, b mostly a copy of a (so that long equal prefixes occur), NUL-terminated ends. */
static void Scramble(void) {
  Fill(a, BUF);
  memmove(b, a, BUF);
  for (int k = Next() % 4; k > 0; k--) b[Next() % BUF] = (unsigned char)Next();
  a[BUF] = b[BUF] = 0;
}

static size_t Off(void) { return Next() % (BUF / 2); }
static size_t Len(void) { return Next() % 5 == 0 ? 0 : Next() % (BUF / 2); }
/* A result pointer as an offset into its buffer, -1 for NULL. */
static int64_t Rel(const void *p, const void *base) {
  return p ? (const unsigned char *)p - (const unsigned char *)base : -1;
}
static int Byte(void) { return Next() % 3 == 0 ? 0 : "abc\x80\xff\n"[Next() % 6] | (Next() % 2 ? 0x100 : 0); }

#define CASES 4000
#define REPORT(name) printf("%-10s %016llx\n", name, (unsigned long long)hash), hash = 0

static void RandomCases(void) {
  for (int i = 0; i < CASES; i++) Scramble(), Mix(memcmp(a + Off(), b + Off(), Len()));
  REPORT("memcmp");
  for (int i = 0; i < CASES; i++) {
    Scramble();
    size_t o = Off();
    Mix(memcmp(a + o, b + o, Len()) == 0); /* clang turns this into bcmp */
  }
  REPORT("bcmp");
  for (int i = 0; i < CASES; i++) Scramble(), Mix(strcmp((char *)a + Off(), (char *)b + Off()));
  for (int i = 0; i < CASES; i++) {
    Scramble();
    size_t o = Off();
    Mix(strcmp((char *)a + o, (char *)b + o));
  }
  REPORT("strcmp");
  for (int i = 0; i < CASES; i++) {
    Scramble();
    size_t o = Off();
    Mix(strncmp((char *)a + o, (char *)b + o + Next() % 2, Len()));
  }
  REPORT("strncmp");
  for (int i = 0; i < CASES; i++) Scramble(), Mix(strlen((char *)a + Off()));
  REPORT("strlen");
  for (int i = 0; i < CASES; i++) Scramble(), Mix(strnlen((char *)a + Off(), Len()));
  REPORT("strnlen");
  for (int i = 0; i < CASES; i++) Scramble(), Mix(Rel(memchr(a + Off(), Byte(), Len()), a));
  REPORT("memchr");
  for (int i = 0; i < CASES; i++) Scramble(), Mix(Rel(memrchr(a + Off(), Byte(), Len()), a));
  REPORT("memrchr");
  for (int i = 0; i < CASES; i++) Scramble(), Mix(Rel(strchr((char *)a + Off(), Byte()), a));
  REPORT("strchr");
  for (int i = 0; i < CASES; i++) Scramble(), Mix(Rel(strchrnul((char *)a + Off(), Byte()), a));
  REPORT("strchrnul");
  for (int i = 0; i < CASES; i++) Scramble(), Mix(Rel(strrchr((char *)a + Off(), Byte()), a));
  REPORT("strrchr");
  for (int i = 0; i < CASES; i++) {
    Scramble();
    char needle[8];
    size_t o = Off(), n = Next() % 4;
    memmove(needle, a + o + Next() % 64, n); /* often present, sometimes cut by a NUL */
    needle[n] = 0;
    if (Next() % 4 == 0) needle[0] = 'c';
    Mix(Rel(strstr((char *)a + Off(), needle), a));
  }
  REPORT("strstr");
  for (int i = 0; i < CASES; i++) {
    Scramble();
    size_t d = Off(), s = Off(), n = Len();
    Mix(Rel(memcpy(b + d, a + s, n), b));
    for (size_t k = 0; k < BUF; k += 7) Mix(b[k]);
  }
  REPORT("memcpy");
  for (int i = 0; i < CASES; i++) {
    Scramble();
    size_t d = Off(), s = Off(), n = Len(); /* overlapping both ways */
    Mix(Rel(memmove(a + d, a + s, n), a));
    for (size_t k = 0; k < BUF; k += 7) Mix(a[k]);
  }
  REPORT("memmove");
  for (int i = 0; i < CASES; i++) {
    Scramble();
    Mix(Rel(memset(a + Off(), Byte(), Len()), a));
    for (size_t k = 0; k < BUF; k += 3) Mix(a[k]);
  }
  REPORT("memset");
  for (int i = 0; i < CASES; i++) {
    Scramble();
    size_t d = Off(), s = Off();
    a[s + Next() % 200] = 0; /* the copy fits in b */
    int which = Next() % 3;
    char *dst = (char *)b + d, *src = (char *)a + s;
    if (which == 0) Mix(Rel(strcpy(dst, src), b));
    if (which == 1) Mix(Rel(stpcpy(dst, src), b));
    if (which == 2) {
      dst[Next() % 32] = 0;
      Mix(Rel(strcat(dst, src), b));
    }
    for (size_t k = 0; k < BUF + 64; k += 5) Mix(b[k]);
  }
  REPORT("strcpy");
}

/* Cases printed in full: results that depend on the exact musl semantics. */
static void FixedCases(void) {
  static char x[] = "abc\x80", y[] = "abc\x01", z[] = "ab", w[] = "abcabc";
  printf("strcmp(\"abc\\x80\", \"abc\\x01\") = %d\n", strcmp(x, y));
  printf("strcmp(\"ab\", \"abc\\x80\") = %d\n", strcmp(z, x));
  printf("memcmp(x, y, 4) = %d\n", memcmp(x, y, 4));
  printf("strncmp(x, y, 3) = %d\n", strncmp(x, y, 3));
  printf("strchr(x, 0) - x = %d\n", (int)(strchr(x, 0) - x));
  printf("strchr(x, 0x180) - x = %d\n", (int)(strchr(x, 0x180) - x));
  printf("strrchr(\"abcabc\", 'b') offset = %d\n", (int)Rel(strrchr(w, 'b'), w));
  printf("strstr(x, \"\") == x: %d\n", strstr(x, "") == x);
}

/* The last bytes of linear memory, all `c` (no NUL). */
static char *MemoryEnd(int fill) {
  char *end = (char *)(__builtin_wasm_memory_size(0) * 65536);
  memset(end - 64, fill, 64);
  return end;
}

static volatile int argc0; /* 0, unknown to the compiler: keeps sizes from being constants */

static int PastEnd(const char *name) {
  char *end = MemoryEnd('x');
  volatile uintptr_t r = 0;
  if (!strcmp(name, "strlen-past-end")) r = strlen(end - 16);
  else if (!strcmp(name, "strcmp-past-end")) r = (uintptr_t)strcmp(end - 16, end - 32);
  else if (!strcmp(name, "memcmp-past-end")) r = (uintptr_t)memcmp(end - 16, end - 32, 32);
  else if (!strcmp(name, "memcpy-past-end")) r = (uintptr_t)memcpy(end - 8, a, 16 + (size_t)argc0);
  else if (!strcmp(name, "memset-past-end")) r = (uintptr_t)memset(end - 8, 0, 16 + (size_t)argc0);
  else if (!strcmp(name, "memchr-past-end")) r = (uintptr_t)memchr(end - 16, 'y', 32);
  else if (!strcmp(name, "strchr-past-end")) r = (uintptr_t)strchr(end - 16, 'y');
  else if (!strcmp(name, "strstr-past-end")) r = (uintptr_t)strstr(end - 40, "xy");
  else if (!strcmp(name, "strcpy-past-end")) r = (uintptr_t)strcpy((char *)a, end - 16);
  else if (!strcmp(name, "strchr-hit-before-end")) {
    end[-5] = 'y';
    printf("strchr found at end - %d\n", (int)(end - strchr(end - 16, 'y')));
    return 0;
  } else {
    fprintf(stderr, "unknown case %s\n", name);
    return 2;
  }
  printf("no trap (%lu)\n", (unsigned long)r);
  return 1;
}

int main(int argc, char **argv) {
  if (argc > 1) return PastEnd(argv[1]);
  RandomCases();
  FixedCases();
  return 0;
}
