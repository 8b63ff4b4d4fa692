/* sort: a qsort-style generic sort (element size and comparator passed at run time, so every
 * comparison is an indirect call) over an array of 16-byte records and one of 64-bit integers.
 * The sort is ours, not libc's qsort: glibc uses a merge sort and wasi-libc a smoothsort, so libc's
 * qsort would compare different algorithms (and different orders of equal keys).
 * SIZE = number of records. Checksum: a hash of both sorted arrays. */
#include <string.h>

#include "common.h"

typedef int (*CompareFn)(const void *, const void *);

static void SwapBytes(char *a, char *b, size_t size) {
  while (size >= 8) {
    uint64_t t;
    memcpy(&t, a, 8);
    memcpy(a, b, 8);
    memcpy(b, &t, 8);
    a += 8, b += 8, size -= 8;
  }
  while (size--) {
    char t = *a;
    *a++ = *b;
    *b++ = t;
  }
}

/* Quicksort (median of three, recurse into the smaller part) with insertion sort below 16. */
__attribute__((noinline)) static void GenericSort(void *base, size_t n, size_t size, CompareFn cmp) {
  char *a = base;
  while (n > 16) {
    char *lo = a, *mid = a + (n / 2) * size, *hi = a + (n - 1) * size;
    if (cmp(mid, lo) < 0) SwapBytes(mid, lo, size);
    if (cmp(hi, mid) < 0) {
      SwapBytes(hi, mid, size);
      if (cmp(mid, lo) < 0) SwapBytes(mid, lo, size);
    }
    SwapBytes(mid, hi - size, size); /* pivot to n-2 */
    char *pivot = hi - size, *i = lo, *j = pivot;
    for (;;) {
      do i += size; while (cmp(i, pivot) < 0);
      do j -= size; while (cmp(pivot, j) < 0);
      if (i >= j) break;
      SwapBytes(i, j, size);
    }
    SwapBytes(i, pivot, size);
    size_t left = (size_t)(i - a) / size, right = n - left - 1;
    if (left < right) {
      GenericSort(a, left, size, cmp);
      a = i + size, n = right;
    } else {
      GenericSort(i + size, right, size, cmp);
      n = left;
    }
  }
  for (size_t k = 1; k < n; k++)
    for (char *p = a + k * size; p > a && cmp(p, p - size) < 0; p -= size) SwapBytes(p, p - size, size);
}

typedef struct {
  uint32_t key;
  uint32_t id;
  double weight;
} Record;

static int CompareRecords(const void *pa, const void *pb) {
  const Record *a = pa, *b = pb;
  if (a->key != b->key) return a->key < b->key ? -1 : 1;
  return (a->id > b->id) - (a->id < b->id);
}

static int CompareU64Desc(const void *pa, const void *pb) {
  uint64_t a, b;
  memcpy(&a, pa, 8);
  memcpy(&b, pb, 8);
  return (a < b) - (a > b);
}

int main(int argc, char **argv) {
  long n = SizeArg(argc, argv, 3000000);
  Record *recs = malloc(sizeof(Record) * (size_t)n);
  uint64_t *nums = malloc(sizeof(uint64_t) * (size_t)n);
  if (!recs || !nums) return 1;
  Rng rng = RngSeeded(99);
  for (long i = 0; i < n; i++) {
    recs[i].key = (uint32_t)(RngNext(&rng) % (uint64_t)(n / 4 + 1)); /* many equal keys */
    recs[i].id = (uint32_t)i;
    recs[i].weight = RngDouble(&rng);
    nums[i] = RngNext(&rng);
  }
  uint64_t h = 0;
  for (int round = 0; round < 3; round++) {
    GenericSort(recs, (size_t)n, sizeof(Record), CompareRecords);
    GenericSort(nums, (size_t)n, sizeof(uint64_t), CompareU64Desc);
    for (long i = 0; i < n; i += 97) h = Mix(h, (uint64_t)recs[i].key << 32 | recs[i].id);
    for (long i = 0; i < n; i += 89) h = Mix(h, nums[i]);
    /* Scramble a tenth of both arrays so the next round sorts nearly-sorted input. */
    for (long k = 0; k < n / 10; k++) {
      long i = (long)(RngNext(&rng) % (uint64_t)n), j = (long)(RngNext(&rng) % (uint64_t)n);
      Record t = recs[i]; recs[i] = recs[j]; recs[j] = t;
      uint64_t u = nums[i]; nums[i] = nums[j]; nums[j] = u;
    }
  }
  int sorted = 1;
  GenericSort(recs, (size_t)n, sizeof(Record), CompareRecords);
  for (long i = 1; i < n; i++) sorted &= CompareRecords(&recs[i - 1], &recs[i]) < 0;
  printf("sort n=%ld sorted=%d hash=%016llx\n", n, sorted, (unsigned long long)h);
  free(recs);
  free(nums);
  return 0;
}
