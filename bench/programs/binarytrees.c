/* binarytrees: the benchmarks-game allocation test: build and walk many short-lived binary trees
 * and one long-lived one, every node its own malloc and free. Measures the allocator (glibc's
 * natively, wasi-libc's dlmalloc in wasm), pointer chasing and recursion.
 * SIZE = maximum tree depth. Checksum: node counts per depth. */
#include "common.h"

typedef struct Node {
  struct Node *left, *right;
} Node;

static Node *Build(int depth) {
  Node *n = malloc(sizeof(Node));
  if (!n) exit(1);
  if (depth > 0) {
    n->left = Build(depth - 1);
    n->right = Build(depth - 1);
  } else {
    n->left = n->right = NULL;
  }
  return n;
}

static long Check(const Node *n) { return 1 + (n->left ? Check(n->left) + Check(n->right) : 0); }

static void Free(Node *n) {
  if (n->left) {
    Free(n->left);
    Free(n->right);
  }
  free(n);
}

int main(int argc, char **argv) {
  int max_depth = (int)SizeArg(argc, argv, 18);
  if (max_depth < 6) max_depth = 6;
  uint64_t h = 0;
  Node *stretch = Build(max_depth + 1);
  h = Mix(h, (uint64_t)Check(stretch));
  Free(stretch);

  Node *long_lived = Build(max_depth);
  for (int depth = 4; depth <= max_depth; depth += 2) {
    long iterations = 1L << (max_depth - depth + 4), check = 0;
    for (long i = 0; i < iterations; i++) {
      Node *t = Build(depth);
      check += Check(t);
      Free(t);
    }
    h = Mix(h, (uint64_t)depth << 32 | (uint64_t)check);
  }
  long ll = Check(long_lived);
  Free(long_lived);
  printf("binarytrees depth=%d long_lived=%ld hash=%016llx\n", max_depth, ll, (unsigned long long)h);
  return 0;
}
