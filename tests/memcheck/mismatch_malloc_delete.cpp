// Mismatched free: a block from malloc released with delete.
// EXPECT: MismatchedFree line=13 addr=inside:0:12
// RUN: exit=0
#include <cstdlib>

struct Rgb {
  int r, g, b;
};

int main() {
  Rgb *volatile color = static_cast<Rgb *>(std::malloc(sizeof(Rgb)));
  color->r = color->g = color->b = 0;
  delete color;
  return 0;
}
