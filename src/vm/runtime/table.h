// Table internals shared by instantiation and the runtime calls. The class is in api.h.
//
// Invariants: definition()->elements points at `size` words, each a VMFuncRef* (funcref) or
// an externref host word, 0 meaning null; the array may move on Grow, which is why compiled
// code reloads `elements` instead of caching it. Every element a table holds is counted in
// its Store's TableElementBudget, which outlives the table (the Store owns both).
#pragma once

#include <cstdint>

#include "vm/runtime/api.h"

namespace wasmgrind {

// An implementation limit well below the spec's 2^32 - 1 elements, on all the tables of one
// Store together (a module may declare any number of tables, and the embedder may create
// more): 10M elements are 80 MB of element words. Creating a table past it fails with an
// error naming the limit (instantiation fails); growing past it fails, so table.grow gives -1.
inline constexpr uint64_t kMaxStoreTableElements = 10'000'000;

// The table elements a Store's tables hold, against a limit.
class TableElementBudget {
 public:
  explicit TableElementBudget(uint64_t limit = kMaxStoreTableElements) : limit_(limit) {}
  uint64_t limit() const { return limit_; }
  uint64_t used() const { return used_; }
  uint64_t available() const { return limit_ - used_; }
  // Takes `n` elements if that many are left; else takes nothing and returns false.
  bool TryTake(uint64_t n) {
    if (n > available()) return false;
    used_ += n;
    return true;
  }

 private:
  uint64_t limit_;
  uint64_t used_ = 0;
};

uint64_t MaxTableSize(const TableType& type);

}  // namespace wasmgrind
