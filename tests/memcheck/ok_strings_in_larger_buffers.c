// Correct: C strings in buffers larger than they are (heap and stack, never cleared): string
// functions that read a word at a time read undefined bytes past the terminator, and only
// the bytes up to it may decide anything. Also the terminator at every offset in a word.
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

static char *volatile escape;  // keeps the compiler from folding the buffers' contents

__attribute__((noinline)) static void string_checks(char *heap, char *stack) {
  strcpy(heap, "alpha");
  strcpy(stack, "beta gamma");
  check(strlen(heap) == 5 && strlen(stack) == 10, "strlen");
  check(strcmp(heap, "alpha") == 0 && strcmp(heap, stack) < 0, "strcmp");
  check(strncmp(stack, "beta", 4) == 0, "strncmp");
  check(strchr(heap, 'p') == heap + 2 && strchr(heap, 'z') == NULL, "strchr");
  check(strrchr(stack, 'a') == stack + 9, "strrchr");
  check(strstr(stack, "gam") == stack + 5, "strstr");
  check(strspn(stack, "abet") == 4 && strcspn(heap, "h") == 3, "strspn/strcspn");
  strcat(heap, "-");
  strcat(heap, stack);
  check(strcmp(heap, "alpha-beta gamma") == 0, "strcat");
  char *copy = strdup(heap);
  check(copy != NULL && strcmp(copy, heap) == 0, "strdup");
  free(copy);
  char number[32];
  strcpy(number, "12345");
  escape = number;
  check(atoi(number) == 12345 && strtol(number, NULL, 10) == 12345, "atoi/strtol");
  char printed[64];
  snprintf(printed, sizeof printed, "[%s|%s|%.3s]", heap, stack, number);
  check(strcmp(printed, "[alpha-beta gamma|beta gamma|123]") == 0, "%s of a short string");
}

int main(void) {
  char *heap = malloc(64);
  char stack[64];
  escape = heap;
  escape = stack;
  string_checks(heap, stack);
  // The terminator at each offset in a word, the rest of the buffer undefined.
  for (size_t n = 0; n < 12; ++n) {
    char *s = malloc(32);
    memset(s, 'x', n);
    s[n] = '\0';
    escape = s;
    check(strlen(s) == n && strchr(s, '\0') == s + n && memchr(s, '\0', n + 1) == s + n,
          "the terminator's offset");
    free(s);
  }
  free(heap);
  printf("strings in larger buffers %s\n", failures == 0 ? "ok" : "FAILED");
  return failures != 0;
}
