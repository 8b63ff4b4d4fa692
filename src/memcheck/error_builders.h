// Turning what the checker found into MemcheckErrors with Valgrind's wording: invalid
// accesses (called from the JIT's slow path and from host-side checks) and bad frees (from
// the allocator hooks), each with the address explained from the heap and stack state.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "memcheck/heap_tracker.h"
#include "memcheck/leak_checker.h"
#include "memcheck/memcheck_error.h"
#include "memcheck/report_writer.h"
#include "memcheck/shadow_memory.h"

namespace wasmgrind::memcheck {

// A global variable of the program (its DWARF), for "Address 0x.. is 0 bytes inside data
// symbol "name"", Valgrind's words for an address in an ELF symbol.
struct GlobalSymbol {
  uint32_t begin = 0;
  uint32_t size = 0;
  std::string name;  // the linkage name where there is one, as Valgrind's ELF symbol
};

// A range the program described with VALGRIND_CREATE_BLOCK, for "Address 0x.. is 4 bytes
// inside a <description> of size 16 client-defined" and where it was described.
struct DescribedBlock {
  uint32_t begin = 0;
  uint32_t size = 0;
  std::string description;
  BacktraceId created = kNoBacktrace;
  bool discarded = false;  // VALGRIND_DISCARD: its handle may be given out again
};

// What an address is, beyond the heap: the memory's size and the C stack pointer (when the
// module has one), so "outside linear memory" and "below stack pointer" can be said.
struct AddressContext {
  uint64_t memory_size = 0;
  std::optional<uint32_t> stack_pointer;
  std::optional<AddressRange> stack;          // the C stack region, when known
  const ShadowMemory* shadow = nullptr;       // for the extent of unallocated heap memory
  std::span<const GlobalSymbol> globals;      // sorted by begin
  std::span<const DescribedBlock> described;  // by handle; these describe before the heap
};

enum class AccessKind : uint8_t { Read, Write };

// "Invalid read of size 4" at `where`, for an access of `size` bytes at `address` whose first
// bad byte is `bad`. `heap` may be null (no allocator found).
MemcheckError InvalidAccessError(AccessKind access, uint64_t address, uint32_t size,
                                 const BadByte& bad, BacktraceId where, const HeapTracker* heap,
                                 const AddressContext& context);

// The error a free verdict deserves (InvalidFree, DoubleFree, Mismatched); nullopt for Freed
// and NullPointer.
std::optional<MemcheckError> BadFreeError(const FreeOutcome& outcome, uint32_t pointer,
                                          const AddressContext& context, BacktraceId where);

// The C stack pointer was set to `sp`, outside `stack` ([bottom, top), top the empty stack):
// the C stack check stopped the program before the frame was written. Below the bottom (or
// wrapped past 0): Valgrind's "Stack overflow in thread #1: can't grow stack to 0x..", with
// the depth needed; above the top: a stack pointer restored wrong.
MemcheckError StackOverflowError(uint32_t sp, const AddressRange& stack, BacktraceId where);
// How the program dies of it, as Valgrind reports the SIGSEGV that kills a native program whose
// stack overflowed (the stack is the caller's to fill in).
PrintedFatalSignal StackOverflowSignal(uint32_t sp, const AddressRange& stack);

// The signal a native build of the program dies of where the wasm program trapped, in
// Valgrind's words: SIGSEGV, SIGILL or SIGFPE with si_code `sicode` at `address` (the fault's
// address, or the code's for SIGILL and SIGFPE), or SIGABRT raised by abort() (no code's
// meaning, no address).
PrintedFatalSignal NativeSignal(int signo, int sicode, uint64_t address);

// Valgrind's address lines for `address`: a heap block with its stacks, outside memory, a
// global variable, the stack, or "not stack'd, malloc'd or (recently) free'd". (Below the stack pointer is said by
// InvalidAccessError, which knows the shadow state.)
std::vector<AuxLine> DescribeAddress(uint64_t address, const HeapTracker* heap,
                                     const AddressContext& context);

}  // namespace wasmgrind::memcheck
