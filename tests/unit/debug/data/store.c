// Compiled by the debug tests (source_map_test.cc, function_names_test.cc) with clang
// --target=wasm32-wasi -g -O0. The tests check line numbers: keep every line where it is.
int counter[4];

__attribute__((noinline)) void set_counter(int *slot, int value) {
  *slot = value;  // line 6: the last i32.store in set_counter
}

__attribute__((noinline)) int twice(int x) {
  return x * 3;  // line 10
}

int main(void) {
  set_counter(&counter[2], twice(7));
  return counter[2] == 14 ? 0 : 1;
}
