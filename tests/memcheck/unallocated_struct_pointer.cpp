// Access to unallocated heap in C++: a pointer to a record computed from a bad count lands
// thousands of bytes past the array, in heap nobody allocated.
// EXPECT: InvalidWrite size=4 line=13 addr=unallocated
// RUN: exit=0

struct Record {
  int id;
  int payload[7];
};

__attribute__((noinline)) static void stamp(Record *records, int count) {
  Record *last = records + count - 1;
  last->id = count;
}

int main() {
  Record *records = new Record[4];
  stamp(records, 200);  // there are 4
  delete[] records;
  return 0;
}
