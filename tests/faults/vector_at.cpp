// std::vector::at out of range, built with -fno-exceptions: libc++ calls abort() where it would
// throw std::out_of_range. The user's own two frames must stay visible.
// expect-trap: Unreachable
// expect-detail: the program called abort()
// expect-frames: abort | * | * | * | element vector_at.cpp:11 | main vector_at.cpp:16
#include <cstdio>
#include <vector>

__attribute__((noinline)) static int element(const std::vector<int>& v, int i) {
  std::fflush(stdout);
  return v.at(static_cast<size_t>(i));
}

int main(int argc, char**) {
  std::vector<int> v = {1, 2, 3};
  return element(v, argc + 5);
}
// Under --memcheck (last, not to move the lines above):
// expect-signal: SIGABRT
