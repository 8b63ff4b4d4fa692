// Indirectly lost: a table of three strings, the table's pointer dropped: the table is
// definitely lost, the strings indirectly (one loss record per allocation site).
// EXPECT: Leak_DefinitelyLost blocks=1 line=15
// EXPECT: Leak_IndirectlyLost bytes=48 blocks=3 line=18
// VALGRIND: --show-leak-kinds=all
// RUN: exit=0
#include <stdlib.h>
#include <string.h>

// Where the pointers pass through, so that the optimizer cannot drop the allocations.
static void *volatile last_allocated;

__attribute__((noinline)) static int make_table(int n) {
  // n pointers: 12 bytes on wasm32, 24 natively, so the table's size is left out.
  char **table = malloc(n * sizeof *table);
  last_allocated = table;
  for (int i = 0; i < n; ++i) {
    table[i] = malloc(16);
    last_allocated = table[i];
    memset(table[i], 'a' + i, 16);
  }
  last_allocated = NULL;
  return table[n - 1][0];
}

int main(void) {
  return make_table(3) == 'c' ? 0 : 1;
}
