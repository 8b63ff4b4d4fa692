// Global variables of every shape data_symbols_test.cc reads back from DWARF: initialised and
// zero-initialised (.bss), an array of structs, a typedef'd const array, a function-local
// static, a C++ static with a linkage name, a class's static member.
typedef const short Table[5];

struct Point {
  int x, y, z;
};

int counter = 7;
char zeroed[100];
Point points[3][2];
Table table = {1, 2, 3, 4, 5};
static unsigned char storage[8];

struct Registry {
  static long long total;
};
long long Registry::total = 5;

int Next() {
  static int calls;
  return ++calls + counter + points[1][1].z + table[2] + storage[3] + zeroed[9] +
         static_cast<int>(Registry::total);
}

int main() { return Next() == 0; }
