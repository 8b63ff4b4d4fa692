// Uninitialised value: writev() (WASI fd_write) with an iovec whose length was never set: the
// iovec array itself, which the system call reads, holds undefined bytes ("Syscall param
// writev(vector)" natively, fd_write's iovs in wasm). The length is masked to the suffix's
// size, so the run does not depend on what the undefined bytes hold beyond how much it writes.
// EXPECT: SyscallParam line=30 origin=heap:36
// RUN: exit=0
#include <stdlib.h>
#include <sys/uio.h>

struct message {
  const char *body;
  size_t body_length;
  size_t suffix_length;  // set by a formatter this path skips
};

static const char suffix[4] = "!!!\n";
static volatile int formatted = 0;

__attribute__((noinline)) static void prepare(struct message *m) {
  m->body = "hello";
  m->body_length = 5;
  if (formatted) m->suffix_length = 4;
}

__attribute__((noinline)) static ssize_t send_message(const struct message *m) {
  struct iovec parts[2] = {
      {(void *)m->body, m->body_length},
      {(void *)suffix, m->suffix_length & 3},
  };
  return writev(1, parts, 2);
}

static struct message *volatile last;

int main(void) {
  struct message *m = malloc(sizeof *m);
  last = m;
  prepare(m);
  ssize_t written = send_message(m);
  free(m);
  return written < 0;
}
