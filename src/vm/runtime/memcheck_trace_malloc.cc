// McTraceMallocLine: --trace-malloc's line for one allocation call (see memcheck_runtime.h).
#include <fmt/format.h>

#include "vm/debug/function_names.h"
#include "vm/memcheck_calls.h"
#include "vm/runtime/memcheck_runtime.h"

namespace wasmgrind {

namespace {

// Valgrind's %p: 0x and upper-case hex digits.
std::string Pointer(uint32_t address) { return fmt::format("0x{:X}", address); }

}  // namespace

std::string McTraceMallocLine(uint32_t call, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t result,
                              uint32_t stored_pointer) {
  // C++'s functions under their mangled names, as Valgrind's replacements are named; C's
  // under the public names (not dlmalloc's own, which the name section may give instead).
  const std::string_view row = McAllocatorName(McAllocatorCallRow(call));
  const std::string cxx(MangledAllocatorName(row).value_or(row));
  switch (McAllocatorCallKind(call)) {
    case McAllocatorKind::Malloc: return fmt::format("malloc({}) = {}", a0, Pointer(result));
    case McAllocatorKind::Calloc: return fmt::format("calloc({},{}) = {}", a0, a1, Pointer(result));
    case McAllocatorKind::Realloc:
      // Valgrind's realloc calls its malloc or free, whose own lines continue its line.
      if (a0 == 0) return fmt::format("realloc(0x0,{})malloc({}) = {}", a1, a1, Pointer(result));
      if (a1 == 0) return fmt::format("realloc({},0)free({})\n = 0", Pointer(a0), Pointer(a0));
      return fmt::format("realloc({},{}) = {}", Pointer(a0), a1, Pointer(result));
    case McAllocatorKind::Free: return fmt::format("free({})", Pointer(a0));
    // aligned_alloc and memalign (alignment, size); Valgrind's name for both is memalign's.
    case McAllocatorKind::AlignedAlloc:
      return fmt::format("memalign(al {}, size {}) = {}", a0, a1, Pointer(result));
    // posix_memalign(&p, alignment, size) goes through memalign too, once its arguments
    // passed (no line for EINVAL); the block is *p.
    case McAllocatorKind::PosixMemalign:
      if (result != 0) return {};
      return fmt::format("memalign(al {}, size {}) = {}", a1, a2, Pointer(stored_pointer));
    case McAllocatorKind::UsableSize:
      return fmt::format("malloc_usable_size({}) = {}", Pointer(a0), result);
    case McAllocatorKind::New:
    case McAllocatorKind::NewArray: return fmt::format("{}({}) = {}", cxx, a0, Pointer(result));
    case McAllocatorKind::NewAligned:
    case McAllocatorKind::NewArrayAligned:
      return fmt::format("{}(size {}, al {}) = {}", cxx, a0, a1, Pointer(result));
    case McAllocatorKind::Delete:
    case McAllocatorKind::DeleteArray: return fmt::format("{}({})", cxx, Pointer(a0));
  }
  return {};
}

}  // namespace wasmgrind
