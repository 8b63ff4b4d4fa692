// Uninitialised value: an undefined operation code picks the function to call through a table
// of function pointers (wasm's call_indirect index).
// EXPECT: UninitValue line=30 origin=stack:27
// RUN: exit=0
#include <stdio.h>

static void op_add(void) { puts("add"); }
static void op_sub(void) { puts("sub"); }
static void op_mul(void) { puts("mul"); }
static void op_div(void) { puts("div"); }

static void (*const operations[4])(void) = {op_add, op_sub, op_mul, op_div};
static volatile int have_code = 0;

struct instruction {
  unsigned code;
  unsigned operands[5];
};

__attribute__((noinline)) static void decode(struct instruction *in) {
  if (have_code) in->code = 2;
}

// The code is masked to the table's size, so the call is never out of range; only which
// function it calls is undefined. (A struct, not a lone unsigned: for a 4-byte local clang -O2
// makes the frame with a push, which natively leaves a defined register value in it.)
__attribute__((noinline)) static void execute(void) {
  struct instruction in;
  decode(&in);
  operations[in.code & 3]();
}

int main(void) {
  execute();
  return 0;
}
