// Uninitialised value: a stack array of which a loop fills only the first half; the sum of all
// of it decides a branch (the undefined half makes the sum undefined).
// EXPECT: UninitCondition line=21 origin=stack:16
// RUN: exit=0
#include <stdio.h>

static volatile int available = 8;

__attribute__((noinline)) static void read_samples(int *samples, int capacity) {
  int n = available < capacity ? available : capacity;
  for (int i = 0; i < n; ++i) samples[i] = i;
}

static volatile int reported;

__attribute__((noinline)) static void summarize(void) {
  int samples[16];
  read_samples(samples, 16);  // 8 available
  int sum = 0;
  for (int i = 0; i < 16; ++i) sum += samples[i];
  if (sum > 100) puts("large");
  reported = 1;
}

int main(void) {
  summarize();
  return 0;
}
