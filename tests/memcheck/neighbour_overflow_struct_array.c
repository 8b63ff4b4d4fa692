// Heap overflow into a live neighbour: an array of records indexed one past its count while a
// second array allocated right after it holds live data.
// EXPECT: InvalidWrite size=4 line=14 addr=after:0:36
// EXPECT: InvalidWrite size=4 line=16 addr=after:4:36
// EXPECT: InvalidWrite size=4 line=17 addr=after:8:36
// RUN: exit=0
#include <stdlib.h>

struct point {
  int x, y, z;
};

__attribute__((noinline)) static void set_point(struct point *points, int i) {
  points[i].x = i;
  // i == 3 of 3: x is 0 bytes after, y 4 bytes after, z 8 bytes after
  points[i].y = i;
  points[i].z = i;
}

int main(void) {
  struct point *points = malloc(3 * sizeof *points);
  int *other = calloc(16, sizeof *other);
  for (int i = 0; i <= 3; ++i) set_point(points, i);
  int bad = other[0] != 0;
  free(other);
  free(points);
  return bad;
}
