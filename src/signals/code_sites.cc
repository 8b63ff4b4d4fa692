// CodeSites lookups (see code_sites.h). Called from the signal handler: plain binary searches,
// no allocation, no locks.
#include "signals/code_sites.h"

namespace wasmgrind::signals {

const AccessSite* FindAccessSite(const CodeSites& sites, uint32_t offset) {
  size_t lo = 0, hi = sites.num_access_sites;  // the first site with begin > offset
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (sites.access_sites[mid].begin <= offset) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo == 0) return nullptr;
  const AccessSite& site = sites.access_sites[lo - 1];
  return offset < site.end ? &site : nullptr;
}

const FunctionStart* FindFunctionStart(const CodeSites& sites, uint32_t offset) {
  size_t lo = 0, hi = sites.num_functions;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (sites.functions[mid].offset <= offset) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo == 0 ? nullptr : &sites.functions[lo - 1];
}

}  // namespace wasmgrind::signals
