// Uninitialised value in C++: a constructor that sets all members but one; the object comes
// from new and the forgotten member decides a branch.
// EXPECT: UninitCondition line=22 origin=heap:31
// RUN: exit=0
#include <cstdio>

class Connection {
 public:
  Connection(int port) : port_(port), open_(true) {}  // forgets retries_
  __attribute__((noinline)) void Retry();
  bool Usable() const { return open_ && port_ > 0; }

 private:
  int port_;
  bool open_;
  int retries_;
};

static volatile int attempts;

void Connection::Retry() {
  if (retries_ > 0) {
    --retries_;
    attempts = attempts + 1;
  }
}

static Connection *volatile last_created;

int main() {
  Connection *c = new Connection(80);
  last_created = c;
  if (c->Usable()) c->Retry();
  delete c;
  return 0;
}
