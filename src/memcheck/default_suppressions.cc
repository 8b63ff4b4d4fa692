// The built-in suppressions (see default_suppressions.h).
#include "memcheck/default_suppressions.h"

namespace wasmgrind::memcheck {

namespace {

// Only blocks the startup functions allocate themselves: the allocator's frame (dlmalloc may
// show its inlined dl* function first), then the startup function. The program's own blocks
// have main (or something it called) between the allocator and __main_void.
constexpr const char* kText = R"({
   wasi-libc-argv
   Memcheck:Leak
   fun:*alloc
   fun:__main_void
}
{
   wasi-libc-argv-inlined
   Memcheck:Leak
   fun:dl*alloc
   fun:*alloc
   fun:__main_void
}
{
   wasi-libc-environ
   Memcheck:Leak
   fun:*alloc
   fun:__wasilibc_initialize_environ
}
{
   wasi-libc-environ-inlined
   Memcheck:Leak
   fun:dl*alloc
   fun:*alloc
   fun:__wasilibc_initialize_environ
}
)";

}  // namespace

std::vector<Suppression> DefaultSuppressions() {
  auto parsed = ParseSuppressions(kText, "built-in");
  // The text is a constant that the unit tests parse: a failure here is a bug in it.
  return parsed ? std::move(parsed).value() : std::vector<Suppression>{};
}

}  // namespace wasmgrind::memcheck
