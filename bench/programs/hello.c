/* hello: start-up latency, process start to exit. Does nothing but print one line. */
#include <stdio.h>

int main(void) {
  puts("hello, world");
  return 0;
}
