// Uninitialised value: a leaf function (clang moves no stack pointer for a leaf's frame of at
// most 128 bytes: it lies below the pointer, on wasm32 as in x86-64's red zone) reads an
// element of its array that it never wrote. An earlier leaf call left written values there,
// but a call moved the stack pointer down since: they are dead, and the new frame's bytes are
// undefined.
// EXPECT: UninitCondition line=38 origin=stack:25
// RUN: exit=0
#include <stdio.h>

static volatile int sink;
static volatile int have = 0;
static volatile int pick = 3;

// A leaf that writes a frame's worth of defined values.
__attribute__((noinline)) static int fill(void) {
  int values[24];
  for (int i = 0; i < 24; ++i) values[i] = i;
  int *volatile keep = values;
  return keep[pick];
}

// A leaf that sets the element it returns only when `have`. (One line: Valgrind names the
// prologue's line at -O0 and the first use's at -O2 as the origin of a red-zone frame.)
// clang-format off
__attribute__((noinline)) static int lookup(void) { int table[16]; if (have) table[pick] = 7; return table[pick]; }
// clang-format on

// Not a leaf, with a small frame: its callee's frame lies inside fill's old one.
__attribute__((noinline)) static int outer(void) {
  volatile int bias = 1;
  int found = lookup();
  return found + bias;
}

int main(void) {
  sink = fill();
  int found = outer();
  if (found == 8) puts("seven");
  return 0;
}
