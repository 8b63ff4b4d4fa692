// CodeSites lookups (see code_sites.h). Called from the signal handler: plain binary searches,
// no allocation, no locks.
#include "signals/code_sites.h"

namespace wasmgrind::signals {

namespace {

// The number of elements of sorted `items` whose key is <= `offset` (a binary search written
// out: it runs in the signal handler, so nothing that might allocate or lock).
template <typename T, typename Key>
size_t CountAtOrBefore(const T* items, size_t count, uint32_t offset, Key key) {
  size_t lo = 0, hi = count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (key(items[mid]) <= offset) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

}  // namespace

const AccessSite* FindAccessSite(const CodeSites& sites, uint32_t offset) {
  size_t n = CountAtOrBefore(sites.access_sites, sites.num_access_sites, offset,
                             [](const AccessSite& s) { return s.begin; });
  if (n == 0) return nullptr;
  const AccessSite& site = sites.access_sites[n - 1];
  return offset < site.end ? &site : nullptr;
}

const FunctionStart* FindFunctionStart(const CodeSites& sites, uint32_t offset) {
  size_t n = CountAtOrBefore(sites.functions, sites.num_functions, offset,
                             [](const FunctionStart& f) { return f.offset; });
  return n == 0 ? nullptr : &sites.functions[n - 1];
}

}  // namespace wasmgrind::signals
