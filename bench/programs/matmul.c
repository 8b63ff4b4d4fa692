/* matmul: dense double-precision matrix multiply, C = A * B, N x N (i-k-j loop order).
 * Floating-point kernel: loads, multiply-add chains, a streaming inner loop.
 * SIZE = N. Checksum: the sum of C and a position-weighted sum, printed exactly. */
#include "common.h"

int main(int argc, char **argv) {
  long n = SizeArg(argc, argv, 1700);
  double *a = malloc(sizeof(double) * n * n);
  double *b = malloc(sizeof(double) * n * n);
  double *c = calloc((size_t)(n * n), sizeof(double));
  if (!a || !b || !c) return 1;
  Rng rng = RngSeeded(42);
  for (long i = 0; i < n * n; i++) a[i] = RngDouble(&rng) - 0.5;
  for (long i = 0; i < n * n; i++) b[i] = RngDouble(&rng) - 0.5;

  for (long i = 0; i < n; i++) {
    double *ci = c + i * n;
    for (long k = 0; k < n; k++) {
      double aik = a[i * n + k];
      const double *bk = b + k * n;
      for (long j = 0; j < n; j++) ci[j] += aik * bk[j];
    }
  }

  double sum = 0, weighted = 0;
  for (long i = 0; i < n * n; i++) {
    sum += c[i];
    weighted += c[i] * (double)(i % 7 + 1);
  }
  printf("matmul n=%ld sum=%.17g weighted=%.17g\n", n, sum, weighted);
  free(a);
  free(b);
  free(c);
  return 0;
}
