/* fft: iterative radix-2 complex FFT of 2^16 points, forward then inverse, repeated.
 * Floating-point kernel with strided access (bit reversal, butterflies over a 1 MiB array).
 * The twiddle factors come from our own Taylor series rather than libm's sin/cos, whose last bit
 * differs between glibc and wasi-libc: the checksum must be identical natively and in wasm.
 * SIZE = number of forward+inverse round trips. */
#include "common.h"

#define LOG2N 16
#define N (1 << LOG2N)

static double re[N], im[N], wr[N / 2], wi[N / 2];

/* sin and cos of x in [0, pi] by Taylor series, plain arithmetic only. */
static void SinCos(double x, double *s, double *c) {
  double term_s = x, term_c = 1, sum_s = 0, sum_c = 0, x2 = x * x;
  for (int k = 0; k < 30; k++) {
    sum_s += term_s;
    sum_c += term_c;
    term_s *= -x2 / (double)((2 * k + 2) * (2 * k + 3));
    term_c *= -x2 / (double)((2 * k + 1) * (2 * k + 2));
  }
  *s = sum_s;
  *c = sum_c;
}

static void Fft(int inverse) {
  for (unsigned i = 1, j = 0; i < N; i++) { /* bit-reversal permutation */
    unsigned bit = N >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      double t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
  }
  for (unsigned len = 2; len <= N; len <<= 1) {
    unsigned half = len >> 1, step = N / len;
    for (unsigned i = 0; i < N; i += len) {
      for (unsigned k = 0; k < half; k++) {
        double c = wr[k * step], s = inverse ? -wi[k * step] : wi[k * step];
        unsigned a = i + k, b = a + half;
        double tr = re[b] * c - im[b] * s;
        double ti = re[b] * s + im[b] * c;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
  if (inverse) {
    for (unsigned i = 0; i < N; i++) {
      re[i] *= 1.0 / N;
      im[i] *= 1.0 / N;
    }
  }
}

int main(int argc, char **argv) {
  long rounds = SizeArg(argc, argv, 350);
  const double two_pi = 6.283185307179586;
  for (unsigned k = 0; k < N / 2; k++) {
    double s, c;
    SinCos(two_pi * k / N, &s, &c);
    wr[k] = c;
    wi[k] = -s;
  }
  Rng rng = RngSeeded(7);
  for (unsigned i = 0; i < N; i++) {
    re[i] = RngDouble(&rng) - 0.5;
    im[i] = RngDouble(&rng) - 0.5;
  }
  double spectrum = 0;
  for (long r = 0; r < rounds; r++) {
    Fft(0);
    unsigned bin = (unsigned)(r * 7919) % N;
    spectrum += re[bin] * re[bin] + im[bin] * im[bin];
    re[bin] *= 0.999; /* perturb so that no two rounds are identical */
    Fft(1);
  }
  double sum = 0;
  for (unsigned i = 0; i < N; i++) sum += re[i] * (double)(i % 13) + im[i];
  printf("fft n=%d rounds=%ld spectrum=%.17g sum=%.17g\n", N, rounds, spectrum, sum);
  return 0;
}
