// Uninitialised value: an undefined heap value is stored in a global by one function and
// decides a branch in another.
// EXPECT: UninitCondition line=26 origin=heap:17
// RUN: exit=0
#include <stdio.h>
#include <stdlib.h>

static int threshold;  // a global: defined (zero) until the store below
static volatile int have_file = 0;

__attribute__((noinline)) static void read_settings(int *settings) {
  if (have_file)
    for (int i = 0; i < 4; ++i) settings[i] = 100;
}

__attribute__((noinline)) static void load_settings(void) {
  int *settings = malloc(4 * sizeof *settings);
  read_settings(settings);  // there is no file: nothing is read
  threshold = settings[2];
  free(settings);
}

static volatile int checked;

__attribute__((noinline)) static void check(int value) {
  if (value > threshold) puts("over the threshold");
  checked = 1;
}

int main(void) {
  load_settings();
  check(10);
  return 0;
}
