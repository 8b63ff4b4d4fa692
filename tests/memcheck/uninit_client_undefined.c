// Uninitialised value: a free-list allocator marks a recycled object undefined with
// VALGRIND_MAKE_MEM_UNDEFINED (what it holds is stale); the next user reads a field it forgot
// to set, and the field decides a branch.
// EXPECT: UninitCondition line=36 origin=client:27
// RUN: exit=0
#include <stdio.h>
#include <wasmgrind/memcheck.h>

struct job {
  int id;
  int priority;
  struct job *next_free;
};

static struct job pool[4];
static struct job *free_list;
static volatile int urgent_jobs;

__attribute__((noinline)) static void release(struct job *j) {
  j->next_free = free_list;
  free_list = j;
}

__attribute__((noinline)) static struct job *acquire(void) {
  struct job *j = free_list;
  free_list = j->next_free;
  VALGRIND_MAKE_MEM_UNDEFINED(j, sizeof *j);  // the old contents are not the new job's
  return j;
}

int main(void) {
  for (int i = 0; i < 4; ++i) pool[i] = (struct job){i, 1, NULL};
  for (int i = 0; i < 4; ++i) release(&pool[i]);
  struct job *j = acquire();
  j->id = 10;  // forgets the priority: the stale 1 is still there, but undefined
  if (j->priority > 0)
    urgent_jobs = urgent_jobs + 1;
  release(j);
  printf("%d urgent\n", urgent_jobs);
  return 0;
}
