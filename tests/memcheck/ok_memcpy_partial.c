// Correct: memcpy and memmove of buffers of which only a part was written: the undefined
// bytes are copied along (and copied back), but only written bytes decide anything.
// EXPECT: none
// RUN: exit=0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct packet {
  int length;
  char payload[60];  // only `length` bytes of it are ever written
};

int main(void) {
  struct packet *in = malloc(sizeof *in);
  in->length = 5;
  memcpy(in->payload, "hello", 5);
  struct packet *out = malloc(sizeof *out);
  memcpy(out, in, sizeof *in);  // copies 55 undefined payload bytes
  char *ring = malloc(256);     // never fully written
  memmove(ring + 100, out->payload, sizeof out->payload);
  memmove(ring + 90, ring + 100, 20);  // overlapping, undefined bytes included
  int ok = out->length == 5 && memcmp(ring + 90, "hello", 5) == 0;
  free(ring);
  free(out);
  free(in);
  printf("partial memcpy %s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
