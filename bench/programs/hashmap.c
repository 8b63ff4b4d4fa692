/* hashmap: a chained hash map from malloc'd strings to counters that grows by rehashing:
 * inserts, lookups (hits and misses) and deletions with free, over keys built with snprintf.
 * Measures malloc/free of small blocks, string hashing and comparison, pointer chasing.
 * SIZE = number of distinct keys per round. Checksum: counts and a hash of the survivors. */
#include <string.h>

#include "common.h"

typedef struct Entry {
  struct Entry *next;
  uint32_t hash;
  uint32_t count;
  char *key;
} Entry;

typedef struct {
  Entry **buckets;
  uint32_t mask;
  uint32_t size;
} Map;

static uint32_t HashKey(const char *s) {
  uint32_t h = 2166136261u; /* FNV-1a */
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

static void MapInit(Map *m, uint32_t nbuckets) {
  m->buckets = calloc(nbuckets, sizeof(Entry *));
  if (!m->buckets) exit(1);
  m->mask = nbuckets - 1;
  m->size = 0;
}

static void MapGrow(Map *m) {
  Map bigger;
  MapInit(&bigger, (m->mask + 1) * 2);
  for (uint32_t b = 0; b <= m->mask; b++) {
    for (Entry *e = m->buckets[b], *next; e; e = next) {
      next = e->next;
      e->next = bigger.buckets[e->hash & bigger.mask];
      bigger.buckets[e->hash & bigger.mask] = e;
    }
  }
  bigger.size = m->size;
  free(m->buckets);
  *m = bigger;
}

static Entry *MapFind(const Map *m, const char *key, uint32_t h) {
  for (Entry *e = m->buckets[h & m->mask]; e; e = e->next)
    if (e->hash == h && strcmp(e->key, key) == 0) return e;
  return NULL;
}

static void MapAdd(Map *m, const char *key) {
  uint32_t h = HashKey(key);
  Entry *e = MapFind(m, key, h);
  if (e) {
    e->count++;
    return;
  }
  if (m->size >= m->mask + 1) MapGrow(m);
  size_t len = strlen(key) + 1;
  e = malloc(sizeof(Entry));
  if (!e || !(e->key = malloc(len))) exit(1);
  memcpy(e->key, key, len);
  e->hash = h;
  e->count = 1;
  e->next = m->buckets[h & m->mask];
  m->buckets[h & m->mask] = e;
  m->size++;
}

static int MapRemove(Map *m, const char *key) {
  uint32_t h = HashKey(key);
  for (Entry **link = &m->buckets[h & m->mask]; *link; link = &(*link)->next) {
    Entry *e = *link;
    if (e->hash == h && strcmp(e->key, key) == 0) {
      *link = e->next;
      free(e->key);
      free(e);
      m->size--;
      return 1;
    }
  }
  return 0;
}

static void MapFree(Map *m) {
  for (uint32_t b = 0; b <= m->mask; b++) {
    for (Entry *e = m->buckets[b], *next; e; e = next) {
      next = e->next;
      free(e->key);
      free(e);
    }
  }
  free(m->buckets);
}

static void MakeKey(char *buf, size_t cap, uint32_t id) {
  /* Keys share long prefixes, as identifiers and paths do. */
  snprintf(buf, cap, "module/%u/function_%u.local", id % 97, id);
}

int main(int argc, char **argv) {
  uint32_t nkeys = (uint32_t)SizeArg(argc, argv, 300000);
  Rng rng = RngSeeded(31337);
  uint64_t h = 0;
  uint32_t found = 0, removed = 0;
  char key[64];
  for (int round = 0; round < 4; round++) {
    Map m;
    MapInit(&m, 16);
    for (uint32_t i = 0; i < nkeys * 2; i++) {
      MakeKey(key, sizeof key, (uint32_t)(RngNext(&rng) % nkeys));
      MapAdd(&m, key);
    }
    for (uint32_t i = 0; i < nkeys * 2; i++) { /* half of these miss */
      MakeKey(key, sizeof key, (uint32_t)(RngNext(&rng) % (nkeys * 2)));
      found += MapFind(&m, key, HashKey(key)) != NULL;
    }
    for (uint32_t i = 0; i < nkeys; i++) {
      MakeKey(key, sizeof key, (uint32_t)(RngNext(&rng) % nkeys));
      removed += (uint32_t)MapRemove(&m, key);
    }
    for (uint32_t b = 0; b <= m.mask; b++)
      for (Entry *e = m.buckets[b]; e; e = e->next) h += (uint64_t)e->hash * e->count;
    h = Mix(h, m.size);
    MapFree(&m);
  }
  printf("hashmap keys=%u found=%u removed=%u hash=%016llx\n", nkeys, found, removed, (unsigned long long)h);
  return 0;
}
