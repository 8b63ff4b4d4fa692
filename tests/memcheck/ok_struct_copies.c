// Correct: structs with padding copied by assignment, by memcpy, passed and returned by value
// and stored in arrays: the padding bytes are undefined and copied along, which is no error
// as long as no decision depends on them.
// EXPECT: none
// RUN: exit=0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct record {
  char kind;        // 3 bytes of padding after it
  int id;
  short flags;      // 2 (wasm32) or 6 bytes of padding after it
  double score;
  char name[5];     // padding at the end too
};

__attribute__((noinline)) static struct record make(int id) {
  struct record r;  // fields assigned one by one: the padding stays undefined
  r.kind = 'r';
  r.id = id;
  r.flags = (short)(id & 3);
  r.score = id * 0.5;
  strcpy(r.name, "rec");
  return r;
}

__attribute__((noinline)) static double total(struct record r) {
  return r.score + r.id;
}

int main(void) {
  struct record *table = malloc(16 * sizeof *table);
  for (int i = 0; i < 16; ++i) table[i] = make(i);
  struct record copy = table[5];
  struct record *heap_copy = malloc(sizeof *heap_copy);
  memcpy(heap_copy, &copy, sizeof copy);
  struct record swapped[16];
  memcpy(swapped, table, sizeof swapped);
  struct record tmp = swapped[0];
  swapped[0] = swapped[15];
  swapped[15] = tmp;
  double sum = 0;
  for (int i = 0; i < 16; ++i) sum += total(swapped[i]);
  int ok = heap_copy->id == 5 && strcmp(heap_copy->name, "rec") == 0 && swapped[0].id == 15 &&
           sum == 120 + 60;
  printf("struct copies %s: %.1f\n", ok ? "ok" : "FAILED", sum);
  free(heap_copy);
  free(table);
  return ok ? 0 : 1;
}
