// Table internals shared by instantiation and the runtime calls. The class is in api.h.
//
// Invariants: definition()->elements points at `size` words, each a VMFuncRef* (funcref) or
// an externref host word, 0 meaning null; the array may move on Grow, which is why compiled
// code reloads `elements` instead of caching it.
#pragma once

#include <cstdint>

#include "api.h"

namespace wasmgrind {

// An implementation limit well below the spec's 2^32 - 1: growing past it fails (table.grow
// gives -1) instead of trying to allocate gigabytes of element words.
inline constexpr uint64_t kMaxTableElements = 10'000'000;

uint64_t MaxTableSize(const TableType& type);

}  // namespace wasmgrind
