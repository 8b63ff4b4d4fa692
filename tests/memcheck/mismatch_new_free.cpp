// Mismatched free: an object from new released with free().
// EXPECT: MismatchedFree line=16 addr=inside:0:8
// RUN: exit=0
#include <cstdlib>

struct Point {
  int x = 1, y = 2;
};

__attribute__((noinline)) static Point *make_point() {
  return new Point;
}

int main() {
  Point *p = make_point();
  std::free(p);
  return 0;
}
