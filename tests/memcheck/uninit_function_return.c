// Uninitialised value: a function returns a local that it sets on only one path; the caller
// branches on the returned value.
// EXPECT: UninitCondition line=26 origin=stack:13
// RUN: exit=0
#include <stdio.h>

static volatile int found_flag = 0;

__attribute__((noinline)) static void lookup(int *value) {
  if (found_flag) *value = 42;
}

__attribute__((noinline)) static int find(void) {
  int result[4];  // an array: the frame is made by `sub`, not by a push of a defined register
  lookup(&result[0]);
  return result[0];  // undefined when not found
}

static volatile int sink;

int main(void) {
  int value = find();
  sink = 1;
  // The value passed through the return (a register natively, a wasm value) without a report;
  // the branch is the use.
  if (value == 42) puts("found");
  return 0;
}
