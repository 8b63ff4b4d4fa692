// Heap overflow into a live neighbour in C++: a memset sized for the wrong type clears past
// one object while the next object is alive.
// (Valgrind's memset writes word by word: which byte it reports first is its own.)
// EXPECT: InvalidWrite line=25
// RUN: exit=0
#include <cstring>

struct Pair {
  int first = 1, second = 2;
};
struct Triple {
  int a = 0, b = 0, c = 0;
};

static volatile std::size_t triple_size = sizeof(Triple);
// Where the pointers pass through, so that the optimizer cannot drop the new-expressions.
static void *volatile created;

int main() {
  Pair *pair = new Pair;
  created = pair;
  Triple *triple = new Triple;
  created = triple;
  triple->c = 7;
  std::memset(pair, 0, triple_size);  // sizeof the wrong type
  int bad = triple->c != 7;
  delete triple;
  delete pair;
  return bad;
}
