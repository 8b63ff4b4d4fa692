// Indirectly lost in C++: a heap-allocated std::vector is dropped: the vector object is
// definitely lost, its element buffer (reserved for 32 ints) indirectly.
// EXPECT: Leak_DefinitelyLost blocks=1 line=15
// EXPECT: Leak_IndirectlyLost bytes=128 blocks=1 line=17
// VALGRIND: --show-leak-kinds=all
// RUN: exit=0
#include <vector>

static volatile int sink;
// Where the pointer passes through, so that the optimizer cannot drop the new-expression.
static std::vector<int> *volatile last_created;

__attribute__((noinline)) static void fill() {
  // The vector object is 12 bytes on wasm32, 24 natively: its size is left out.
  auto *values = new std::vector<int>;
  last_created = values;
  values->reserve(32);
  for (int i = 0; i < 32; ++i) values->push_back(i);
  sink = (*values)[31];
  last_created = nullptr;
}

int main() {
  fill();
  return 0;
}
