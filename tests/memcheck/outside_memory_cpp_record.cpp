// Outside linear memory in C++: a record read through an offset from a corrupted index
// (3.75 GiB), reading an 8-byte member past the end of linear memory.
// EXPECT: InvalidRead size=8 line=25 addr=outside-memory
// EXPECT-NATIVE: InvalidRead size=8 line=25 addr=unknown
// DIFFERS: natively the address is unmapped memory, which Valgrind describes as not stack'd,
// DIFFERS: malloc'd or free'd (and the process dies of SIGSEGV); wasm32 knows the address is
// DIFFERS: past the end of linear memory.
// RUN: trap=out of bounds memory access
#include <cstdint>

struct Record {
  long long id;
  double value;
};

static unsigned char arena[256];
static volatile std::uint32_t offset_from_index = 0xF0000000u;

__attribute__((noinline)) static const Record *RecordAt(std::uint32_t offset) {
  return reinterpret_cast<const Record *>(arena + offset);
}

int main() {
  const Record *record = RecordAt(offset_from_index);
  return record->value > 0 ? 1 : 0;
}
