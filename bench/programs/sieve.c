/* sieve: sieve of Eratosthenes over odd numbers in a bit array, repeated over growing limits.
 * Integer kernel: shifts, masks and read-modify-write of words, strided stores.
 * SIZE = limit of the largest sieve. Checksum: prime counts and a hash of the last sieve. */
#include <string.h>

#include "common.h"

/* Bit i of the array stands for the odd number 2i+1; set = composite. Returns the prime count. */
static long Sieve(uint32_t *bits, long limit) {
  long nbits = (limit + 1) / 2;
  memset(bits, 0, (size_t)((nbits + 31) / 32) * 4);
  for (long i = 1; (2 * i + 1) * (2 * i + 1) <= limit; i++) {
    if (bits[i >> 5] & (1u << (i & 31))) continue;
    long p = 2 * i + 1;
    for (long j = (p * p) / 2; j < nbits; j += p) bits[j >> 5] |= 1u << (j & 31);
  }
  long count = limit >= 2 ? 1 : 0; /* the prime 2 */
  for (long i = 1; i < nbits; i++) count += !(bits[i >> 5] & (1u << (i & 31)));
  return count;
}

int main(int argc, char **argv) {
  long limit = SizeArg(argc, argv, 450000000);
  uint32_t *bits = malloc((size_t)((limit + 1) / 2 + 31) / 32 * 4 + 4);
  if (!bits) return 1;
  uint64_t h = 0;
  long total = 0, last = 0;
  /* Sieve limit/8, limit/4, limit/2, limit: small sieves stay in cache, the last one does not. */
  for (int shift = 3; shift >= 0; shift--) {
    last = Sieve(bits, limit >> shift);
    total += last;
    h = Mix(h, (uint64_t)last);
  }
  long words = ((limit + 1) / 2 + 31) / 32;
  for (long w = 0; w < words; w++) h = Mix(h, bits[w]);
  printf("sieve limit=%ld primes=%ld total=%ld hash=%016llx\n", limit, last, total, (unsigned long long)h);
  free(bits);
  return 0;
}
