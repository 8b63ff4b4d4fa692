// Mismatched free: a single object from new released with delete[].
// EXPECT: MismatchedFree line=16 addr=inside:0:4
// RUN: exit=0

struct Id {
  int value = 7;
};

__attribute__((noinline)) static Id *make_id() {
  return new Id;
}

static volatile int released;

__attribute__((noinline)) static void release(Id *ids) {
  delete[] ids;
  released = 1;  // keeps the delete from being a tail call (natively a jump, without this frame)
}

int main() {
  release(make_id());
  return 0;
}
