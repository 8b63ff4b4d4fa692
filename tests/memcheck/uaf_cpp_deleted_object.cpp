// Use after free in C++: a method called on a deleted object reads its member.
// EXPECT: InvalidRead size=4 line=9 addr=freed:4:8
// EXPECT: InvalidWrite size=4 line=9 addr=freed:4:8
// RUN: exit=0

struct Counter {
  int id = 1;
  int count = 0;
  __attribute__((noinline)) int Next() { return ++count; }
};

static volatile int sink;

int main() {
  Counter *counter = new Counter;
  Counter *stale = counter;
  delete counter;
  sink = stale->Next();
  return 0;
}
