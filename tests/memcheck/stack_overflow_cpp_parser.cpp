// Stack overflow in C++: a recursive-descent parser whose every level keeps a std::array of
// 64 tokens, fed input nested 400 deep.
// EXPECT: StackOverflow fn=ParseValue
// EXPECT-NATIVE: none
// DIFFERS: the native stack is 8 MiB, so 400 levels of about 300 bytes fit.
// Without the checker the C stack check does not catch this one: it guards the stack down to
// the end of the initialised data, and `input` below is zero-initialised (.bss, no data
// segment) and lies between the two. The frames overwrite the input's brackets, the parse ends
// early and main returns 1. The checker knows where the .bss is and must report the overflow.
// RUN: exit=1
#include <array>
#include <cstring>

static char input[1024];

__attribute__((noinline)) static int ParseValue(const char *&p) {
  std::array<int, 64> tokens{};
  if (*p == '[') {
    ++p;
    int inner = ParseValue(p);
    tokens[inner % 64] = inner;
    ++p;  // ']'
    return inner + 1 + tokens[0];
  }
  return *p++ == 'x' ? 0 : -1000;
}

int main() {
  const int depth = 400;
  std::memset(input, '[', depth);
  input[depth] = 'x';
  std::memset(input + depth + 1, ']', depth);
  const char *p = input;
  return ParseValue(p) >= depth ? 0 : 1;
}
