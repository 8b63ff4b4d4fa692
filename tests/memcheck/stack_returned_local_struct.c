// Stack: a function returns the address of its local struct; the caller reads a field of it.
// EXPECT: InvalidRead size=8 line=27 addr=below-sp
// RUN: exit=0

struct big {
  long long fields[64];
};

static volatile long long sink;

__attribute__((noinline)) static void init(struct big *b) {
  for (int i = 0; i < 64; ++i) b->fields[i] = i;
}

// An escape through a volatile global, so that the compiler neither warns nor replaces the
// returned address with null (which clang does for a plain `return &local`).
static struct big *volatile escaped;

__attribute__((noinline)) static struct big *make(void) {
  struct big local;
  init(&local);
  escaped = &local;
  return escaped;
}

int main(void) {
  sink = make()->fields[0];
  return 0;
}
