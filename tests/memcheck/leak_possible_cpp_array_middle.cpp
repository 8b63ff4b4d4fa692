// Possibly lost in C++: a new[]'d array reachable only through a pointer to its middle
// element (a "current position" kept in a global).
// EXPECT: Leak_PossiblyLost bytes=96 blocks=1 line=10
// RUN: exit=0

static double *position;

__attribute__((noinline)) static void start() {
  // Element 5 of 12: 40 bytes in, an offset no leak heuristic accepts.
  double *values = new double[12]();
  position = values + 5;
  *position = 2.5;
}

int main() {
  start();
  return *position == 2.5 ? 0 : 1;
}
