// Correct: a doubly linked list and a binary search tree built, walked, edited and freed.
// EXPECT: none
// RUN: exit=0
#include <stdio.h>
#include <stdlib.h>

struct item {
  int value;
  struct item *prev, *next;
};

struct tree {
  int key;
  struct tree *left, *right;
};

static struct tree *insert(struct tree *root, int key) {
  if (root == NULL) {
    struct tree *t = malloc(sizeof *t);
    t->key = key;
    t->left = t->right = NULL;
    return t;
  }
  if (key < root->key)
    root->left = insert(root->left, key);
  else
    root->right = insert(root->right, key);
  return root;
}

static int height(const struct tree *t) {
  if (t == NULL) return 0;
  int l = height(t->left), r = height(t->right);
  return 1 + (l > r ? l : r);
}

static void destroy(struct tree *t) {
  if (t == NULL) return;
  destroy(t->left);
  destroy(t->right);
  free(t);
}

int main(void) {
  struct item *head = NULL, *tail = NULL;
  for (int i = 0; i < 100; ++i) {
    struct item *it = malloc(sizeof *it);
    it->value = i;
    it->next = NULL;
    it->prev = tail;
    if (tail) tail->next = it; else head = it;
    tail = it;
  }
  // Unlink the odd ones.
  for (struct item *it = head; it != NULL;) {
    struct item *next = it->next;
    if (it->value % 2) {
      it->prev->next = it->next;
      if (it->next) it->next->prev = it->prev; else tail = it->prev;
      free(it);
    }
    it = next;
  }
  int sum = 0, count = 0;
  for (struct item *it = tail; it != NULL; it = it->prev) {
    sum += it->value;
    ++count;
  }
  while (head != NULL) {
    struct item *next = head->next;
    free(head);
    head = next;
  }

  struct tree *root = NULL;
  for (int i = 0; i < 63; ++i) root = insert(root, (i * 37) % 63);
  int h = height(root);
  destroy(root);
  printf("linked structures ok: %d items, sum %d, tree height %d\n", count, sum, h);
  return count == 50 && sum == 2450 ? 0 : 1;
}
