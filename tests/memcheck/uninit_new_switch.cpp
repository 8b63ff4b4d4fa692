// Uninitialised value: a member of an object from new, which its constructor leaves unset,
// selects a case of a switch (a jump table: wasm's br_table).
// EXPECT: UninitCondition|UninitValue line=23 origin=heap:35
// EXPECT-NATIVE: UninitCondition line=23 origin=heap:35
// EXPECT-NATIVE: UninitValue fn=Draw origin=heap:35
// DIFFERS: natively the switch is a range check (a conditional jump, reported on its line) and
// DIFFERS: a jump through a table (a use of the value as an address) that clang attributes to
// DIFFERS: line 0 at -O0, so that report has no line; wasm has the one br_table on line 23.
// RUN: exit=0
#include <cstdio>

enum class Shape { kCircle, kSquare, kTriangle, kHexagon, kStar };

struct Tile {
  Tile() : size(1) {}  // forgets shape
  Shape shape;
  int size;
};

static Tile *volatile last_created;

__attribute__((noinline)) static void Draw(const Tile &tile) {
  switch (tile.shape) {
    case Shape::kCircle: std::puts("circle"); break;
    case Shape::kSquare: std::puts("square"); break;
    case Shape::kTriangle: std::puts("triangle"); break;
    case Shape::kHexagon: std::puts("hexagon"); break;
    default: std::puts("star"); break;
  }
}

static volatile int tiles = 1;

int main() {
  Tile *tile = new Tile;
  last_created = tile;
  for (int i = 0; i < tiles; ++i) Draw(*tile);
  delete tile;
  return 0;
}
