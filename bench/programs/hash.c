/* hash: SHA-256 (32-bit rotates, shifts, xors, adds) and a 64-bit multiply-rotate hash in the
 * style of xxHash64, over a 1 MiB pseudo-random buffer, repeated; each round feeds the previous
 * digest back into the buffer. Integer kernel heavy on bit operations.
 * SIZE = number of rounds. Checksum: the final digests. */
#include <string.h>

#include "common.h"

#define BUF_SIZE (1 << 20)

static const uint32_t kSha256K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t Rotr32(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
static inline uint64_t Rotl64(uint64_t x, int n) { return (x << n) | (x >> (64 - n)); }

static void Sha256Block(uint32_t state[8], const uint8_t *p) {
  uint32_t w[64];
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = Rotr32(w[i - 15], 7) ^ Rotr32(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = Rotr32(w[i - 2], 17) ^ Rotr32(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = h + (Rotr32(e, 6) ^ Rotr32(e, 11) ^ Rotr32(e, 25)) + ((e & f) ^ (~e & g)) + kSha256K[i] + w[i];
    uint32_t t2 = (Rotr32(a, 2) ^ Rotr32(a, 13) ^ Rotr32(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g; g = f; f = e; e = d + t1;
    d = c; c = b; b = a; a = t1 + t2;
  }
  state[0] += a; state[1] += b; state[2] += c; state[3] += d;
  state[4] += e; state[5] += f; state[6] += g; state[7] += h;
}

/* SHA-256 of a buffer whose length is a multiple of 64 (padding block appended here). */
static void Sha256(const uint8_t *data, size_t len, uint32_t out[8]) {
  uint32_t st[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  for (size_t i = 0; i < len; i += 64) Sha256Block(st, data + i);
  uint8_t pad[64] = {0x80};
  uint64_t bits = (uint64_t)len * 8;
  for (int i = 0; i < 8; i++) pad[63 - i] = (uint8_t)(bits >> (8 * i));
  Sha256Block(st, pad);
  memcpy(out, st, sizeof st);
}

#define P1 0x9E3779B185EBCA87ull
#define P2 0xC2B2AE3D27D4EB4Full
#define P3 0x165667B19E3779F9ull

static inline uint64_t Read64(const uint8_t *p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}

static inline uint64_t Round64(uint64_t acc, uint64_t input) {
  acc += input * P2;
  acc = Rotl64(acc, 31);
  return acc * P1;
}

/* A four-lane multiply-rotate hash in the style of xxHash64 (length a multiple of 32). */
static uint64_t Hash64(const uint8_t *p, size_t len, uint64_t seed) {
  uint64_t v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1;
  for (size_t i = 0; i < len; i += 32) {
    v1 = Round64(v1, Read64(p + i));
    v2 = Round64(v2, Read64(p + i + 8));
    v3 = Round64(v3, Read64(p + i + 16));
    v4 = Round64(v4, Read64(p + i + 24));
  }
  uint64_t h = Rotl64(v1, 1) + Rotl64(v2, 7) + Rotl64(v3, 12) + Rotl64(v4, 18) + len;
  h ^= h >> 33;
  h *= P2;
  h ^= h >> 29;
  h *= P3;
  return h ^ (h >> 32);
}

int main(int argc, char **argv) {
  long rounds = SizeArg(argc, argv, 350);
  uint8_t *buf = malloc(BUF_SIZE);
  if (!buf) return 1;
  Rng rng = RngSeeded(1234);
  for (size_t i = 0; i < BUF_SIZE; i += 8) {
    uint64_t v = RngNext(&rng);
    memcpy(buf + i, &v, 8);
  }
  uint32_t digest[8] = {0};
  uint64_t h64 = 0;
  for (long r = 0; r < rounds; r++) {
    Sha256(buf, BUF_SIZE, digest);
    /* xxHash-style lanes are much cheaper than SHA-256: run them several times per round. */
    for (int k = 0; k < 8; k++) h64 ^= Hash64(buf, BUF_SIZE, h64 + (uint64_t)k);
    size_t at = (size_t)(digest[0] % (BUF_SIZE / 32)) * 32;
    memcpy(buf + at, digest, 32);
  }
  printf("hash rounds=%ld sha256=", rounds);
  for (int i = 0; i < 8; i++) printf("%08x", digest[i]);
  printf(" h64=%016llx\n", (unsigned long long)h64);
  free(buf);
  return 0;
}
