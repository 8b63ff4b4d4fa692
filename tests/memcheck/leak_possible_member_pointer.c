// Possibly lost: the program keeps a pointer to a struct's array member, not to the struct.
// EXPECT: Leak_PossiblyLost bytes=80 blocks=1 line=16
// RUN: exit=0
#include <stdlib.h>

struct sample {
  int header[5];  // 20 bytes: samples starts at an offset no leak heuristic accepts
  int samples[15];
};

static int *samples;

__attribute__((noinline)) static void record(void) {
  // The caller only needs the samples, so only a pointer to them is kept.
  // (sizeof(struct sample) is 80 on both targets.)
  struct sample *s = calloc(1, sizeof *s);
  s->samples[0] = 9;
  samples = s->samples;
}

int main(void) {
  record();
  return samples[0] == 9 ? 0 : 1;
}
