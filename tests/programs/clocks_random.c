// Clocks and randomness: monotonic time never goes back, realtime is after 2020, a 20 ms
// nanosleep (a clock subscription of poll_oneoff) takes at least 20 ms, CPU clocks tick,
// getentropy fills buffers with bytes that differ between calls.
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long Ns(struct timespec t) { return t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(void) {
  struct timespec a, b, res, real;
  clock_gettime(CLOCK_MONOTONIC, &a);
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("monotonic ok: %d\n", Ns(b) >= Ns(a));
  clock_gettime(CLOCK_REALTIME, &real);
  printf("realtime after 2020: %d\n", real.tv_sec > 1577836800);
  printf("time() agrees: %d\n", time(NULL) - real.tv_sec <= 1);
  printf("res ok: %d\n", clock_getres(CLOCK_MONOTONIC, &res) == 0 && Ns(res) > 0);

  struct timespec nap = {0, 20 * 1000 * 1000};
  clock_gettime(CLOCK_MONOTONIC, &a);
  int r = nanosleep(&nap, NULL);
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("nanosleep: %d slept enough: %d\n", r, Ns(b) - Ns(a) >= 20 * 1000 * 1000);

  struct timespec cpu;
  printf("process cputime: %d\n", clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu) == 0);

  unsigned char x[64], y[64];
  memset(x, 0, sizeof x);
  memset(y, 0, sizeof y);
  int e1 = getentropy(x, sizeof x), e2 = getentropy(y, sizeof y);
  int zeros = 0;
  for (int i = 0; i < 64; ++i) zeros += x[i] == 0;
  printf("getentropy: %d %d differ: %d mostly nonzero: %d\n", e1, e2, memcmp(x, y, 64) != 0,
         zeros < 8);
  return 0;
}
