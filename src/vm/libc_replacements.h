// Native replacements for a module's libc string and memory functions (the rows of
// libc_replacements.def).
//
// Why: wasi-libc's mem*/str* are musl's portable C, byte or word at a time, so libc-heavy
// programs ran 2-4x slower than natively (bench/results.md); glibc's vectorised routines on the
// guest's memory do the same work. Valgrind replaces these functions too, because word-at-a-time
// versions read past a string's end, which a memory checker must not report: under --memcheck
// the replacements' checked versions (runtime/native_libc_memcheck.cc) check exactly the bytes
// the C function touches, and carry the shadow along, instead of the module's code.
//
// How: when EngineOptions::replace_libc_functions is set, CompileModule compiles a replaced
// function's body (still validated) as a call to wg_libc_<name>(vmctx, args...)
// (runtime/native_libc.cc, reached through the runtime-call table). The replacement works on
// memory 0 and returns exactly what musl returns. Where a range or string it needs runs past
// the end of memory the function traps with "out of bounds memory access" before touching
// memory (musl traps in the middle of its loop, having written part of it; strstr of an unterminated
// needle may trap where musl, seeing the haystack end first, would not). A zero length touches
// no memory, as in musl.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "vm/module_info.h"

namespace wasmgrind {

// A replacement returns its i32 result zero-extended, or this: the caller traps with "out of
// bounds memory access" (the replaced function's own explicit trap).
inline constexpr uint64_t kLibcOutOfBounds = uint64_t{1} << 32;

// What a replacement that returned kLibcOutOfBounds would have accessed, for the trap report:
// the range of memory 0 the C function reads or writes (for a scan, of a string or a compare,
// from its start up to and including the first byte past the end of memory, where musl's loop
// would fault), and whether it was a read or a write. Recorded per thread, just before the return that makes the caller
// trap, and taken by the trap report (AttachTrapInfo).
struct LibcOutOfBoundsAccess {
  uint32_t address = 0;
  uint64_t size = 0;
  bool is_store = false;
};
// Takes (and clears) the calling thread's last one; nullopt if none is pending.
std::optional<LibcOutOfBoundsAccess> TakeLibcOutOfBoundsAccess();

struct LibcReplacement {
  std::string_view name;
  uint32_t num_params;
  uint32_t row;  // of libc_replacements.def: JIT code calls LibcReplacementCall(row)
};

// The replacement for function `func_index` of `module` (a defined function named and typed as
// a row of libc_replacements.def, in a module with a 32-bit memory 0), or nullopt. Its name is
// the name section's or DWARF's (ModuleInfo::LinkName), never an export's: an exported
// `strlen` is an API of the module's own, which may mean something else by it.
std::optional<LibcReplacement> FindLibcReplacement(const ModuleInfo& module, uint32_t func_index);

}  // namespace wasmgrind
