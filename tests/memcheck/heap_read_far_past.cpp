// Heap overflow read in C++: a byte 5 past the end of a new[]'d array of 20 chars.
// EXPECT: InvalidRead size=1 line=9 addr=after:5:20
// RUN: exit=0
#include <cstddef>

static volatile char sink;

__attribute__((noinline)) static void peek(const char *text, std::size_t i) {
  sink = text[i];
}

int main() {
  char *text = new char[20]();
  peek(text, 25);
  delete[] text;
  return 0;
}
