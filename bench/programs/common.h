/* Shared helpers for the benchmark programs: a deterministic PRNG, the size argument, and
 * checksum mixing. Everything here is plain C99 so that the same source builds natively and for
 * wasm32-wasi and prints the same checksum on both. No input depends on time or the environment. */
#ifndef WASMGRIND_BENCH_COMMON_H
#define WASMGRIND_BENCH_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* xorshift64*: small, fast, and identical everywhere. */
typedef struct { uint64_t s; } Rng;

static inline Rng RngSeeded(uint64_t seed) {
  Rng r = {seed ? seed : 0x9E3779B97F4A7C15ull};
  return r;
}

static inline uint64_t RngNext(Rng *r) {
  r->s ^= r->s >> 12;
  r->s ^= r->s << 25;
  r->s ^= r->s >> 27;
  return r->s * 0x2545F4914F6CDD1Dull;
}

/* Uniform double in [0, 1) from the top 53 bits. */
static inline double RngDouble(Rng *r) { return (double)(RngNext(r) >> 11) * (1.0 / 9007199254740992.0); }

/* The problem size: argv[1] if given (the runner passes a tiny one for --quick), else the default
 * sized for 1-3 s of native run time. */
static inline long SizeArg(int argc, char **argv, long default_size) {
  if (argc < 2) return default_size;
  char *end;
  long v = strtol(argv[1], &end, 10);
  if (*end != '\0' || v <= 0) {
    fprintf(stderr, "usage: %s [SIZE]  (SIZE: a positive integer, default %ld)\n", argv[0], default_size);
    exit(2);
  }
  return v;
}

/* Order-dependent 64-bit mix for checksums. */
static inline uint64_t Mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  return h * 0xFF51AFD7ED558CCDull;
}

#endif
