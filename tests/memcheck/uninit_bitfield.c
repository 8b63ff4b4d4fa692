// Uninitialised value: a bit-field never written shares its byte with ones that were: the
// writes to its neighbours (read-modify-writes of that byte) leave its bits undefined, and
// it decides a branch. (ok_bitfields reads only written fields of such bytes.)
// EXPECT: UninitCondition line=29 origin=heap:35
// RUN: exit=0
#include <stdio.h>
#include <stdlib.h>

struct packet_flags {
  unsigned urgent : 1;
  unsigned retries : 3;  // set by a path this program skips
  unsigned acked : 1;
  unsigned channel : 3;  // the same byte as the three before
};

static volatile int resend_path = 0;

__attribute__((noinline)) static void init_flags(struct packet_flags *f) {
  f->urgent = 1;
  f->acked = 0;
  f->channel = 5;
  if (resend_path) f->retries = 2;
}

static volatile int resent;

__attribute__((noinline)) static void maybe_resend(const struct packet_flags *f) {
  if (f->urgent && f->channel == 5) resent = 1;  // defined bits of the byte: no report
  if (f->retries > 1) resent = 2;
}

static struct packet_flags *volatile last;

int main(void) {
  struct packet_flags *f = malloc(sizeof *f);
  last = f;
  init_flags(f);
  maybe_resend(f);
  printf("resent: %d\n", resent);
  free(f);
  return 0;
}
