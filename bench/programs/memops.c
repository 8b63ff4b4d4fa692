/* memops: memory bandwidth through libc's bulk operations on 32 MiB buffers: memset, memcpy,
 * memmove (overlapping, misaligned by a few bytes) and memcmp, a few bytes poked between rounds
 * so no round repeats the last. In wasm, memcpy and friends are wasi-libc's C loops unless the
 * module is built with -mbulk-memory (the runner's memops-bulk variant), where clang emits
 * memory.copy and memory.fill instead.
 * SIZE = number of rounds. Checksum: sampled bytes and comparison results. */
#include <string.h>

#include "common.h"

#define BUF_BYTES (32u << 20)

static uint64_t Sample(const uint8_t *p, size_t n, uint64_t h) {
  for (size_t i = 0; i < n; i += 4093) h = Mix(h, p[i]);
  return h;
}

int main(int argc, char **argv) {
  long rounds = SizeArg(argc, argv, 120);
  uint8_t *a = malloc(BUF_BYTES), *b = malloc(BUF_BYTES + 64);
  if (!a || !b) return 1;
  Rng rng = RngSeeded(555);
  memset(b, 0, BUF_BYTES + 64);
  uint64_t h = 0;
  long differ = 0;
  for (long r = 0; r < rounds; r++) {
    memset(a, (int)(r * 37 + 1), BUF_BYTES);
    for (int k = 0; k < 64; k++) a[RngNext(&rng) % BUF_BYTES] = (uint8_t)RngNext(&rng);
    memcpy(b, a, BUF_BYTES);
    size_t shift = 1 + (size_t)(r % 15);
    memmove(b + shift, b, BUF_BYTES - shift); /* overlapping, forward */
    memmove(a, a + shift + 16, BUF_BYTES - shift - 16); /* overlapping, backward */
    differ += memcmp(a, b, BUF_BYTES) < 0 ? -1 : 1;
    memcpy(a + 3, b + 5, BUF_BYTES - 8); /* misaligned */
    differ += memcmp(a + 3, b + 5, BUF_BYTES - 8) == 0;
    h = Sample(a, BUF_BYTES, h);
    h = Sample(b, BUF_BYTES, h);
  }
  printf("memops rounds=%ld bytes=%u differ=%ld hash=%016llx\n", rounds, BUF_BYTES, differ, (unsigned long long)h);
  free(a);
  free(b);
  return 0;
}
