// Leak check: at exit the only pointer to an object of a class with two polymorphic bases is
// one to its second base, inside the block. Valgrind's multipleinheritance heuristic (on by
// default) recognises the vtable pointers at the block's start and at that interior address,
// so the block is still reachable, not possibly lost (which would be an error).
// EXPECT: Leak_StillReachable line=30
// VALGRIND: --show-leak-kinds=all
// RUN: exit=0
#include <cstdio>

struct Named {
  virtual ~Named() {}
  virtual const char *name() const { return "named"; }
  int id = 1;
};

struct Sized {
  virtual ~Sized() {}
  virtual int size() const { return 2; }
  int bytes = 2;
};

struct Widget : Named, Sized {
  const char *name() const override { return "widget"; }
  int size() const override { return 3; }
};

static Sized *volatile registered;  // the second base: an interior pointer

int main() {
  registered = new Widget;
  std::printf("size %d\n", registered->size());
  return 0;
}
