// Still reachable in C++: a singleton created with new and never deleted, next to a definitely
// lost block, so both kinds are reported side by side.
// EXPECT: Leak_StillReachable bytes=16 blocks=1 line=16
// EXPECT: Leak_DefinitelyLost bytes=8 blocks=1 line=24
// VALGRIND: --show-leak-kinds=all
// RUN: exit=0

struct Config {
  long long verbose = 0;
  long long retries = 3;
};

static Config *config_instance;

__attribute__((noinline)) static Config &config() {
  if (config_instance == nullptr) config_instance = new Config;
  return *config_instance;
}

// Where the pointer passes through, so that the optimizer cannot drop the new-expression.
static long long *volatile last_scratch;

__attribute__((noinline)) static long long forget() {
  long long *scratch = new long long(5);
  last_scratch = scratch;
  last_scratch = nullptr;
  return *scratch;
}

int main() {
  return config().retries + forget() == 8 ? 0 : 1;
}
