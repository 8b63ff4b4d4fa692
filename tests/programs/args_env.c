// Arguments and environment: prints argc, every argument, and the environment sorted.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char** environ;

static int Compare(const void* a, const void* b) {
  return strcmp(*(const char* const*)a, *(const char* const*)b);
}

int main(int argc, char** argv) {
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; ++i) printf("argv[%d]=[%s]\n", i, argv[i]);
  int n = 0;
  while (environ[n]) ++n;
  char** sorted = malloc(sizeof(char*) * (n ? n : 1));
  for (int i = 0; i < n; ++i) sorted[i] = environ[i];
  qsort(sorted, n, sizeof(char*), Compare);
  printf("envc=%d\n", n);
  for (int i = 0; i < n; ++i) printf("env: %s\n", sorted[i]);
  const char* home = getenv("WG_HOME");
  printf("getenv(WG_HOME)=%s\n", home ? home : "(null)");
  printf("getenv(MISSING)=%s\n", getenv("MISSING") ? "set" : "(null)");
  free(sorted);
  return 0;
}
