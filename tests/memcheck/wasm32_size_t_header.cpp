// A bug only wasm32 has: a header struct sized with size_t (4 bytes on wasm32) but read as
// a uint64_t.
// EXPECT: InvalidRead size=8 line=14 addr=inside:0:4
// EXPECT-NATIVE: none
// DIFFERS: size_t is 8 bytes natively, so the 8-byte read stays inside the block.
// RUN: exit=0
#include <cstddef>
#include <cstdint>
#include <cstring>

static volatile std::uint64_t sink;

__attribute__((noinline)) static void read_length(const unsigned char *header) {
  sink = *reinterpret_cast<const std::uint64_t *>(header);
}

int main() {
  unsigned char *header = new unsigned char[sizeof(std::size_t)];
  std::memset(header, 0, sizeof(std::size_t));
  read_length(header);
  delete[] header;
  return 0;
}
