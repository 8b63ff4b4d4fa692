// Correct: every matching pair of the new/delete family: new/delete, new[]/delete[] (with and
// without destructors), nothrow new, aligned new, placement new on storage that is not deleted,
// and delete of a null pointer.
// EXPECT: none
// RUN: exit=0
#include <cstdio>
#include <new>

struct Tracked {
  static int live;
  int value;
  explicit Tracked(int v = 0) : value(v) { ++live; }
  ~Tracked() { --live; }
};
int Tracked::live = 0;

struct alignas(64) Aligned {
  char bytes[64];
};

int main() {
  Tracked *one = new Tracked(1);
  Tracked *many = new Tracked[10];  // an array cookie before the elements
  int *plain = new int[100]();
  int *maybe = new (std::nothrow) int(5);
  Aligned *aligned = new Aligned;
  Aligned *aligned_many = new Aligned[3];
  alignas(Tracked) unsigned char storage[sizeof(Tracked)];
  Tracked *placed = new (storage) Tracked(7);

  bool ok = Tracked::live == 12 && plain[99] == 0 && *maybe == 5 &&
            reinterpret_cast<unsigned long>(aligned) % 64 == 0 &&
            reinterpret_cast<unsigned long>(aligned_many) % 64 == 0 && placed->value == 7;

  placed->~Tracked();  // placement new: destroyed, never deleted
  delete aligned;
  delete[] aligned_many;
  delete maybe;
  delete[] plain;
  delete[] many;
  delete one;
  Tracked *none = nullptr;
  delete none;
  delete[] none;
  ok = ok && Tracked::live == 0;
  std::printf("new/delete %s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
