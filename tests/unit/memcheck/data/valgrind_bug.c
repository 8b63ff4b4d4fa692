#include <stdlib.h>
#include <string.h>
static int *keep;
int main(void) {
  int *p = malloc(10);
  p[2] = 1;              /* bytes 8..11 of a 10-byte block */
  ((char *)p)[10] = 1;   /* 0 bytes after a block of size 10 */
  free(p);
  int x = p[0];          /* use after free */
  free(p);               /* double free */
  int *q = malloc(20);
  free(q + 1);           /* invalid free: interior */
  void *lost = malloc(33); lost = 0;
  keep = malloc(7);
  struct n { struct n *next; } *a = malloc(sizeof *a); a->next = malloc(16); a = 0;
  return x;
}
