// Compiled by inline_map_test.cc with clang --target=wasm32-wasi -g -O2 (-c, then linked without
// -O): `scale` is inlined into `weigh`, which is inlined into `main`; the test compares every
// instruction's inlined frames with llvm-symbolizer --inlining.
static int scale(int v, int by) {
  return v * by + by / (v - 3);
}

static int weigh(int *values, int n) {
  int total = 0;
  for (int i = 0; i < n; i++) total += scale(values[i], n);
  return total;
}

int main(int argc, char **argv) {
  int values[4] = {argc, argc + 1, argc + 2, (int)(long)argv};
  return weigh(values, argc);
}
