// Correct: the C string and memory functions on heap blocks of exactly the needed size, so
// that any read or write one byte too far would be reported.
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

// A heap copy of s in a block of exactly strlen(s) + 1 bytes.
static char *exact(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = malloc(n);
  memcpy(p, s, n);
  return p;
}

int main(void) {
  char *hello = exact("hello");
  char *world = exact("world");
  char *both = malloc(strlen(hello) + 1 + strlen(world) + 1);
  strcpy(both, hello);
  strcat(both, " ");
  strcat(both, world);
  check(strcmp(both, "hello world") == 0, "strcpy/strcat");
  check(strlen(both) == 11, "strlen");
  check(strnlen(both, 5) == 5, "strnlen");
  check(strchr(both, 'o') == both + 4, "strchr");
  check(strrchr(both, 'o') == both + 7, "strrchr");
  check(strchr(both, '\0') == both + 11, "strchr of the terminator");
  check(strstr(both, "lo w") == both + 3, "strstr");
  check(strstr(both, "xyz") == NULL, "strstr miss");
  check(strspn(both, "leh") == 4, "strspn");
  check(strcspn(both, " ") == 5, "strcspn");
  check(strpbrk(both, "wr") == both + 6, "strpbrk");
  check(memchr(both, 'd', 11) == both + 10, "memchr");
  check(memchr(both, 'z', 11) == NULL, "memchr miss");
  check(strncmp(hello, world, 0) == 0, "strncmp 0");
  check(strncmp(both, hello, 5) == 0, "strncmp");
  check(strcmp(hello, world) < 0, "strcmp");
  check(memcmp(hello, "help", 3) == 0, "memcmp");

  char *five = malloc(5);
  strncpy(five, both, 5);  // no terminator: exactly 5 bytes written
  check(memcmp(five, "hello", 5) == 0, "strncpy");
  char *cat = malloc(9);
  strcpy(cat, "abc");
  strncat(cat, "defghijk", 5);  // 3 + 5 + terminator = 9
  check(strcmp(cat, "abcdefgh") == 0, "strncat");

  char *moving = exact("0123456789");
  memmove(moving + 2, moving, 8);  // overlapping, forwards
  check(strcmp(moving, "0101234567") == 0, "memmove forwards");
  memmove(moving, moving + 3, 8);  // overlapping, backwards, with the terminator
  check(strcmp(moving, "1234567") == 0, "memmove backwards");
  memset(moving, '-', 3);
  check(strcmp(moving, "---4567") == 0, "memset");

  char *dup = strdup(both);
  char *ndup = strndup(both, 4);
  check(strcmp(dup, both) == 0 && strcmp(ndup, "hell") == 0, "strdup/strndup");
  char *empty = exact("");
  check(strlen(empty) == 0 && strcmp(empty, "") == 0, "empty string");

  free(empty);
  free(ndup);
  free(dup);
  free(moving);
  free(cat);
  free(five);
  free(both);
  free(world);
  free(hello);
  printf("%s\n", failures == 0 ? "string functions ok" : "string functions FAILED");
  return failures != 0;
}
