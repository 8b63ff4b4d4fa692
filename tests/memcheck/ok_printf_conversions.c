// Correct: printf and snprintf with every conversion, flags, widths and precisions, every
// length modifier (long double too), and snprintf truncation into a heap buffer of exactly the
// given size.
// EXPECT: none
// LINK-FLAGS: -lc-printscan-long-double
// RUN: exit=0
//
// wasi-libc formats long double (%Lf) only with -lc-printscan-long-double linked in; natively
// glibc always does.
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static int failures;

static void expect(const char *got, const char *want) {
  if (strcmp(got, want) != 0) {
    printf("FAIL: got [%s], want [%s]\n", got, want);
    ++failures;
  }
}

int main(void) {
  char buffer[128];
  snprintf(buffer, sizeof buffer, "%d %i %u %x %X %o %c %s %%", -42, 7, 3000000000u, 255, 255, 8,
           'z', "str");
  expect(buffer, "-42 7 3000000000 ff FF 10 z str %");
  snprintf(buffer, sizeof buffer, "[%5d] [%-5d] [%05d] [%+d] [% d] [%#x] [%#o]", 42, 42, 42, 42,
           42, 42, 8);
  expect(buffer, "[   42] [42   ] [00042] [+42] [ 42] [0x2a] [010]");
  snprintf(buffer, sizeof buffer, "%ld %lld %hd %hhd %zu %td %jd %" PRId64 " %" PRIu64, -1L,
           -1234567890123LL, (short)-2, (signed char)-3, (size_t)99, (ptrdiff_t)-5, (intmax_t)6,
           INT64_MIN, UINT64_MAX);
  expect(buffer, "-1 -1234567890123 -2 -3 99 -5 6 -9223372036854775808 18446744073709551615");
  snprintf(buffer, sizeof buffer, "%f %.2f %e %.3E %g %G %a", 3.5, 2.346, 12345.678, 0.000125,
           0.0001, 1e20, 1.0);
  expect(buffer, "3.500000 2.35 1.234568e+04 1.250E-04 0.0001 1E+20 0x1p+0");
  snprintf(buffer, sizeof buffer, "[%8.3f] [%-8.1e] [%.0f] [%.10s] [%.*s] [%*d]", 3.14159, 1500.0,
           2.7, "truncated string", 3, "abcdef", 6, 17);
  expect(buffer, "[   3.142] [1.5e+03 ] [3] [truncated ] [abc] [    17]");
  snprintf(buffer, sizeof buffer, "%f %F %e", INFINITY, -INFINITY, INFINITY);
  expect(buffer, "inf -INF inf");
  snprintf(buffer, sizeof buffer, "[%.3d] [%8.3x] [%#X] [%-6c] [%5s] [%-8s] [%10.4s] [%+.2d]", 42,
           42, 255, 'q', "ab", "left", "precision", 5);
  expect(buffer, "[042] [     02a] [0XFF] [q     ] [   ab] [left    ] [      prec] [+05]");
  snprintf(buffer, sizeof buffer, "%hhu %hx %lx %llX %zx %jx %tx %lu", (unsigned char)300,
           (unsigned short)0x12345, 0xdeadbeefUL, 0xABCDEF012345ULL, (size_t)0x7f,
           (uintmax_t)0x10, (ptrdiff_t)0x20, 4000000000UL);
  expect(buffer, "44 2345 deadbeef ABCDEF012345 7f 10 20 4000000000");
  snprintf(buffer, sizeof buffer, "%.3g %#g %g %g %a %a %.2a %A", 3.14159, 1.0, 1e-5, 123456789.0,
           0.5, -3.75, 1.0, 1.0);
  expect(buffer, "3.14 1.00000 1e-05 1.23457e+08 0x1p-1 -0x1.ep+1 0x1.00p+0 0X1P+0");
  snprintf(buffer, sizeof buffer, "%Lf %.2Le %Lg %lc %ls", 2.5L, 1234.5L, 0.25L, (wint_t)'w',
           L"wide");
  expect(buffer, "2.500000 1.23e+03 0.25 w wide");
  char pointer[32], hex[32];
  snprintf(pointer, sizeof pointer, "%p", (void *)buffer);
  snprintf(hex, sizeof hex, "0x%jx", (uintmax_t)(uintptr_t)buffer);
  expect(pointer, hex);
  int chars = 0;
  snprintf(buffer, sizeof buffer, "abc%n", &chars);
  if (chars != 3) ++failures;

  // Truncation: the heap buffer is exactly 8 bytes; the return value is the full length.
  char *small = malloc(8);
  int full = snprintf(small, 8, "%s-%d", "truncate", 12345);
  expect(small, "truncat");
  if (full != 14) ++failures;
  free(small);

  int pointer_chars = printf("printf: %d %s %.3f %c %p\n", 1, "two", 3.0, '4', (void *)buffer);
  if (pointer_chars <= 0) ++failures;
  printf("%s\n", failures == 0 ? "printf ok" : "printf FAILED");
  return failures != 0;
}
