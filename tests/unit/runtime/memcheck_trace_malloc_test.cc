// --trace-malloc's lines, as valgrind 3.19's replacements print them (vg_replace_malloc.c;
// checked against a native run): C functions by their public names, aligned allocations as
// memalign, C++ functions by their mangled names whichever spelling the name section gave.
#include <gtest/gtest.h>

#include <string_view>

#include "vm/memcheck_calls.h"
#include "vm/runtime/memcheck_runtime.h"

namespace wasmgrind {
namespace {

// The call word of the row of memcheck_allocators.def named `name`.
uint32_t Call(McAllocatorKind kind, std::string_view name) {
  for (uint32_t row = 0; !McAllocatorName(row).empty(); ++row) {
    if (McAllocatorName(row) == name) return PackMcAllocatorCall(kind, row);
  }
  ADD_FAILURE() << name << " is no row of memcheck_allocators.def";
  return 0;
}

TEST(McTraceMallocLineTest, CFunctions) {
  EXPECT_EQ(McTraceMallocLine(Call(McAllocatorKind::Malloc, "malloc"), 10, 0, 0, 0x106a0, 0),
            "malloc(10) = 0x106A0");
  // dlmalloc's own name, where the name section gives it, prints as the public one.
  EXPECT_EQ(McTraceMallocLine(Call(McAllocatorKind::Malloc, "dlmalloc"), 3, 0, 0, 0, 0),
            "malloc(3) = 0x0");
  EXPECT_EQ(McTraceMallocLine(Call(McAllocatorKind::Calloc, "calloc"), 3, 4, 0, 0x106d0, 0),
            "calloc(3,4) = 0x106D0");
  EXPECT_EQ(McTraceMallocLine(Call(McAllocatorKind::Free, "free"), 0x10700, 0, 0, 0, 0),
            "free(0x10700)");
  EXPECT_EQ(McTraceMallocLine(Call(McAllocatorKind::Free, "free"), 0, 0, 0, 0, 0), "free(0x0)");
  EXPECT_EQ(McTraceMallocLine(Call(McAllocatorKind::UsableSize, "malloc_usable_size"), 0x109f0, 0,
                              0, 3, 0),
            "malloc_usable_size(0x109F0) = 3");
}

TEST(McTraceMallocLineTest, ReallocContinuesWithTheMallocOrFreeItCalls) {
  const uint32_t realloc = Call(McAllocatorKind::Realloc, "realloc");
  EXPECT_EQ(McTraceMallocLine(realloc, 0x106a0, 40, 0, 0x10700, 0),
            "realloc(0x106A0,40) = 0x10700");
  EXPECT_EQ(McTraceMallocLine(realloc, 0, 5, 0, 0x10750, 0), "realloc(0x0,5)malloc(5) = 0x10750");
  EXPECT_EQ(McTraceMallocLine(realloc, 0x106a0, 0, 0, 0, 0),
            "realloc(0x106A0,0)free(0x106A0)\n = 0");
}

TEST(McTraceMallocLineTest, AlignedAllocationsAreMemalign) {
  EXPECT_EQ(McTraceMallocLine(Call(McAllocatorKind::AlignedAlloc, "aligned_alloc"), 64, 128, 0,
                              0x107c0, 0),
            "memalign(al 64, size 128) = 0x107C0");
  const uint32_t posix = Call(McAllocatorKind::PosixMemalign, "posix_memalign");
  EXPECT_EQ(McTraceMallocLine(posix, 0x11000, 32, 16, 0, 0x10880),
            "memalign(al 32, size 16) = 0x10880");
  EXPECT_EQ(McTraceMallocLine(posix, 0x11000, 3, 16, 28, 0), "");  // EINVAL: no memalign
}

TEST(McTraceMallocLineTest, CxxFunctionsByTheirMangledNames) {
  EXPECT_EQ(McTraceMallocLine(Call(McAllocatorKind::New, "operator new(unsigned long)"), 4, 0, 0,
                              0x108f0, 0),
            "_Znwm(4) = 0x108F0");
  EXPECT_EQ(
      McTraceMallocLine(Call(McAllocatorKind::New, "_ZnwmRKSt9nothrow_t"), 4, 0, 0, 0x10950, 0),
      "_ZnwmRKSt9nothrow_t(4) = 0x10950");
  EXPECT_EQ(McTraceMallocLine(Call(McAllocatorKind::NewArrayAligned,
                                   "operator new[](unsigned long, std::align_val_t)"),
                              4, 64, 0, 0x109c0, 0),
            "_ZnamSt11align_val_t(size 4, al 64) = 0x109C0");
  EXPECT_EQ(
      McTraceMallocLine(Call(McAllocatorKind::Delete, "operator delete(void*, unsigned long)"),
                        0x106d0, 8, 0, 0, 0),
      "_ZdlPvm(0x106D0)");
  EXPECT_EQ(McTraceMallocLine(Call(McAllocatorKind::DeleteArray, "_ZdaPv"), 0x10920, 0, 0, 0, 0),
            "_ZdaPv(0x10920)");
}

}  // namespace
}  // namespace wasmgrind
