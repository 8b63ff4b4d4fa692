// Indirectly lost in C++: a binary tree whose root pointer is dropped: the root is definitely
// lost, its six descendants indirectly.
// (A node is 16 bytes on wasm32 and 24 natively: the expectations leave the size out.)
// EXPECT: Leak_DefinitelyLost blocks=1 line=17
// EXPECT: Leak_IndirectlyLost blocks=6 line=17
// VALGRIND: --show-leak-kinds=all
// RUN: exit=0
#include <initializer_list>

struct Tree {
  long long key;
  Tree *left = nullptr;
  Tree *right = nullptr;
};

__attribute__((noinline)) static Tree *insert(Tree *root, long long key) {
  if (root == nullptr) return new Tree{key};
  if (key < root->key)
    root->left = insert(root->left, key);
  else
    root->right = insert(root->right, key);
  return root;
}

__attribute__((noinline)) static long long build() {
  Tree *root = nullptr;
  for (long long key : {4, 2, 6, 1, 3, 5, 7}) root = insert(root, key);
  return root->key;
}

int main() {
  return build() == 4 ? 0 : 1;
}
