// Compiled by function_names_test.cc with clang++ --target=wasm32-wasi -g -O0 -nostdlib++ (no
// C++ library needed): a function in a namespace, so DWARF carries a mangled linkage name.
namespace geometry {
struct Point {
  int x, y;
};
__attribute__((noinline)) int Scale(Point* p, int k) {
  p->x *= k;
  return p->x;
}
}  // namespace geometry

extern "C" int main() {
  geometry::Point p{1, 2};
  return geometry::Scale(&p, 3);
}
