// Stack: a write through a pointer that a returned function left behind to its local buffer.
// EXPECT: InvalidWrite size=1 line=21 addr=below-sp
// RUN: exit=0
#include <string.h>

static char *volatile last_buffer;

__attribute__((noinline)) static int format(int n) {
  char buffer[512];
  memset(buffer, ' ', sizeof buffer);
  buffer[n % 512] = '*';
  last_buffer = buffer;  // kept "for later", a dangling pointer once this returns
  return buffer[0];
}

__attribute__((noinline)) static int run(void) {
  int first = format(7);
  // A frame the size of format's would cover the dead buffer again; this function's does not
  // reach that far, so the write lands below the stack pointer.
  char *dead = last_buffer;
  dead[10] = '!';
  return first == ' ' ? 0 : 1;
}

int main(void) {
  return run();
}
