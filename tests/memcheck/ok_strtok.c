// Correct: strtok and strtok_r over heap copies of exact size, and strsep.
// EXPECT: none
// RUN: exit=0
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
  char *line = strdup("  alpha, beta,,gamma ;delta  ");
  int count = 0;
  size_t letters = 0;
  for (char *token = strtok(line, " ,;"); token != NULL; token = strtok(NULL, " ,;")) {
    ++count;
    letters += strlen(token);
  }
  free(line);
  if (count != 4 || letters != 19) return 1;

  char *pairs = strdup("a=1&bb=22&ccc=333");
  char *outer_state;
  int sum = 0;
  for (char *pair = strtok_r(pairs, "&", &outer_state); pair != NULL;
       pair = strtok_r(NULL, "&", &outer_state)) {
    char *inner_state;
    char *key = strtok_r(pair, "=", &inner_state);
    char *value = strtok_r(NULL, "=", &inner_state);
    sum += (int)strlen(key) * atoi(value);
  }
  free(pairs);
  if (sum != 1 + 2 * 22 + 3 * 333) return 2;

  char *fields = strdup("x::y:z");
  char *cursor = fields;
  int empty = 0, total = 0;
  for (char *field; (field = strsep(&cursor, ":")) != NULL;) {
    ++total;
    empty += *field == '\0';
  }
  free(fields);
  if (total != 4 || empty != 1) return 3;
  puts("strtok ok");
  return 0;
}
