// Stack in C++: a lambda stores a pointer to a local array of the function it runs in; the
// caller reads through it after that function has returned.
// EXPECT: InvalidRead size=2 line=23 addr=below-sp
// RUN: exit=0

static const short *volatile saved;
static volatile short sink;

template <typename F>
__attribute__((noinline)) static void with_scratch(F use) {
  short scratch[300];
  for (int i = 0; i < 300; ++i) scratch[i] = static_cast<short>(i);
  use(scratch);
}

__attribute__((noinline)) static void remember(const short *p) {
  saved = p;
}

int main() {
  with_scratch([](const short *p) { remember(p); });
  const short *dangling = saved;
  sink = dangling[1];
  return 0;
}
