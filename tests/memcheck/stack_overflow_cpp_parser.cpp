// Stack overflow in C++: a recursive-descent parser whose every level keeps a std::array of
// 64 tokens, fed input nested 400 deep.
// EXPECT: StackOverflow fn=ParseValue
// EXPECT-NATIVE: none
// DIFFERS: the native stack is 8 MiB, so 400 levels of about 300 bytes fit.
// RUN: trap=stack overflow: ParseValue
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
