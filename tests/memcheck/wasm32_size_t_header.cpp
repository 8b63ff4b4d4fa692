// A bug only wasm32 has: a header sized with size_t (4 bytes on wasm32) but written as a
// uint64_t.
// EXPECT: InvalidWrite size=8 line=14 addr=inside:0:4
// EXPECT-NATIVE: none
// DIFFERS: size_t is 8 bytes natively, so the 8-byte write stays inside the block.
// RUN: exit=0
#include <cstddef>
#include <cstdint>
#include <cstring>

static unsigned char *volatile last;

__attribute__((noinline)) static void write_length(unsigned char *header, std::uint64_t length) {
  std::memcpy(header, &length, sizeof length);  // an 8-byte store, not a call, at -O0 too
}

int main() {
  unsigned char *header = new unsigned char[sizeof(std::size_t)];
  last = header;
  write_length(header, 1234);
  delete[] header;
  return 0;
}
