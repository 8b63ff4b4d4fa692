// Double free in C++: two owners of one object both delete it.
// EXPECT: InvalidFree line=12 addr=freed:0:16
// RUN: exit=0

struct Buffer {
  long long size = 16;
  long long used = 0;
};

struct Owner {
  __attribute__((noinline)) ~Owner() {
    delete buffer;
    buffer = nullptr;
  }
  Buffer *buffer;
};

// Where the pointer passes through, so that the optimizer cannot drop the new-expression.
static Buffer *volatile created;

int main() {
  created = new Buffer;
  {
    Owner a{created};
    Owner b{created};
  }
  return 0;
}
