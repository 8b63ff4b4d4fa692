// ExpectNoHeapGrowth: for paths that unwind with siglongjmp (traps), where a skipped destructor
// would leak. `run(n)` repeats the path n times; it runs 1,000 times to warm up caches, then
// 100,000 times, and the test fails if the heap (mallinfo2's in-use bytes) grew by 4 KiB or more.
#pragma once

#include <gtest/gtest.h>
#include <malloc.h>

#include <functional>

namespace wasmgrind::test {

inline void ExpectNoHeapGrowth(const std::function<void(int)>& run) {
  run(1000);
  size_t before = mallinfo2().uordblks;
  run(100000);
  size_t after = mallinfo2().uordblks;
  EXPECT_LT(after, before + 4096) << "heap grew by " << (after - before) << " bytes";
}

}  // namespace wasmgrind::test
