// Heap overflow write in C++: a hand-made growable array forgets to grow at capacity.
// EXPECT: InvalidWrite size=4 line=19 addr=after:0:16
// RUN: exit=0

class IntStack {
 public:
  IntStack() : items_(new int[4]) {}
  ~IntStack() { delete[] items_; }
  IntStack(const IntStack &) = delete;
  IntStack &operator=(const IntStack &) = delete;
  __attribute__((noinline)) void Push(int v);

 private:
  int *items_;
  int size_ = 0;
};

void IntStack::Push(int v) {
  items_[size_++] = v;  // capacity 4, never checked
}

int main() {
  IntStack stack;
  for (int i = 0; i < 5; ++i) stack.Push(i);
  return 0;
}
