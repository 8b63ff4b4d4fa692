// Valgrind's wording for access and free errors (see error_builders.h).
#include "memcheck/error_builders.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

namespace wasmgrind::memcheck {

namespace {

std::string Hex(uint64_t a) {
  char buf[24];
  snprintf(buf, sizeof buf, "0x%" PRIx64, a);
  return buf;
}

std::string Address(uint64_t a) { return "Address " + Hex(a); }

// A pointer set above the top rather than below the bottom: a wrap past 0 lands 2 GiB or more
// above the top, so a smaller distance is a bad restore, not an overflow.
bool AboveTop(uint32_t sp, const AddressRange& stack) {
  return sp > stack.end && sp - stack.end < 0x80000000u;
}

std::vector<AuxLine> DescribeBlock(uint64_t address, const BlockDescription& d) {
  std::vector<AuxLine> lines;
  lines.push_back({Address(address) + " is " + DescribeRelation(d),
                   d.block.freed ? d.block.free_site : d.block.alloc_site, true});
  // As Valgrind's: only an allocation stack the freed block still has (--keep-stacktraces).
  if (d.block.freed && d.block.alloc_site != kNoBacktrace) {
    lines.push_back({"Block was alloc'd at", d.block.alloc_site, true});
  }
  return lines;
}

}  // namespace

MemcheckError StackOverflowError(uint32_t sp, const AddressRange& stack, BacktraceId where) {
  MemcheckError e;
  e.kind = ErrorKind::StackOverflow;
  e.stack = where;
  const std::string region = Hex(stack.begin) + ".." + Hex(stack.end);
  if (AboveTop(sp, stack)) {
    e.what = "Stack pointer of thread #1 set to " + Hex(sp) + ", above the top of its stack";
    e.aux.push_back({"The C stack is " + region, kNoBacktrace});
    return e;
  }
  e.what = "Stack overflow in thread #1: can't grow stack to " + Hex(sp);
  // Below the top, or wrapped past 0: either way top - sp, modulo 2^32, is the depth.
  const uint32_t depth = stack.end - sp;
  e.aux.push_back({"The C stack is " + WithCommas(stack.end - stack.begin) + " bytes (" + region +
                       "), this frame needs it " + WithCommas(depth) + " bytes deep",
                   kNoBacktrace});
  return e;
}

PrintedFatalSignal StackOverflowSignal(uint32_t sp, const AddressRange& stack) {
  PrintedFatalSignal f;
  f.address = sp;
  if (AboveTop(sp, stack)) {
    f.reason = "Stack pointer of thread #1 set to " + Hex(sp) + ", above the top of its stack";
    return f;
  }
  f.reason = "Stack overflow in thread #1: can't grow stack to " + Hex(sp);
  // Valgrind's advice is --main-stacksize; a wasm32 program's C stack is sized by its linker.
  f.advice = {
      "The C stack of a wasm32 program is sized when it is linked: to give",
      "it more, link with -Wl,-z,stack-size=N (wasm-ld's default is 65536).",
      "The C stack size used in this run was " + std::to_string(stack.end - stack.begin) + "."};
  return f;
}

PrintedFatalSignal NativeSignal(int signo, int sicode, uint64_t address) {
  PrintedFatalSignal f;
  f.signo = signo;
  f.sicode = sicode;
  f.address = address;
  // Valgrind's names (m_signals.c) for the si_codes the traps map to.
  switch (signo) {
    case 4:
      f.signame = "SIGILL";
      f.event = sicode == 1 ? "Illegal opcode" : "Illegal operand";
      break;
    case 6:
      // Raised (SI_TKILL), not a fault: no meaning, no address.
      f.signame = "SIGABRT";
      f.sicode = -6;
      f.event.clear();
      f.address.reset();
      f.from_kernel = false;
      break;
    case 8:
      f.signame = "SIGFPE";
      f.event = sicode == 7 ? "FP invalid operation" : "Integer divide by zero";
      break;
    default:
      f.signo = 11;
      f.signame = "SIGSEGV";
      f.event =
          sicode == 2 ? "Bad permissions for mapped region" : "Access not within mapped region";
      break;
  }
  return f;
}

std::vector<AuxLine> DescribeAddress(uint64_t address, const HeapTracker* heap,
                                     const AddressContext& context) {
  if (address >= context.memory_size) {
    char size[24];
    snprintf(size, sizeof size, "0x%" PRIx64, context.memory_size);
    return {{Address(address) + " is outside linear memory of size " + size, kNoBacktrace}};
  }
  // Valgrind looks at the described blocks first, in handle order.
  for (const DescribedBlock& b : context.described) {
    if (!b.discarded && address >= b.begin && address - b.begin < b.size) {
      return {{Address(address) + " is " + WithCommas(address - b.begin) + " bytes inside a " +
                   b.description + " of size " + WithCommas(b.size) + " client-defined",
               b.created}};
    }
  }
  if (heap != nullptr) {
    if (auto d = heap->Describe(address)) return DescribeBlock(address, *d);
  }
  // Before the stack: the C stack region may still cover some .bss (c_stack.h), a variable's
  // address never belongs to the stack.
  auto after = std::upper_bound(context.globals.begin(), context.globals.end(), address,
                                [](uint64_t a, const GlobalSymbol& s) { return a < s.begin; });
  if (after != context.globals.begin()) {
    const GlobalSymbol& s = *std::prev(after);
    if (address < uint64_t{s.begin} + s.size) {
      return {{Address(address) + " is " + std::to_string(address - s.begin) +
                   " bytes inside data symbol \"" + s.name + "\"",
               kNoBacktrace}};
    }
  }
  if (context.stack && address >= context.stack->begin && address < context.stack->end &&
      (!context.stack_pointer || address >= *context.stack_pointer)) {
    return {{Address(address) + " is on thread 1's stack", kNoBacktrace}};
  }
  if (context.shadow != nullptr && context.shadow->Get(address) == ShadowState::HeapUnallocated) {
    // Valgrind's words for heap memory outside every block: the free range around it.
    uint64_t begin = address, end = address + 1;
    while (begin > 0 && context.shadow->Get(begin - 1) == ShadowState::HeapUnallocated) --begin;
    while (end < context.memory_size && context.shadow->Get(end) == ShadowState::HeapUnallocated)
      ++end;
    return {{Address(address) + " is " + std::to_string(address - begin) +
                 " bytes inside an unallocated block of size " + std::to_string(end - begin) +
                 " in arena \"client\"",
             kNoBacktrace}};
  }
  return {{Address(address) + " is not stack'd, malloc'd or (recently) free'd", kNoBacktrace}};
}

MemcheckError InvalidAccessError(AccessKind access, uint64_t address, uint32_t size,
                                 const BadByte& bad, BacktraceId where, const HeapTracker* heap,
                                 const AddressContext& context) {
  MemcheckError e;
  e.kind = access == AccessKind::Read ? ErrorKind::InvalidRead : ErrorKind::InvalidWrite;
  e.what =
      std::string(access == AccessKind::Read ? "Invalid read of size " : "Invalid write of size ") +
      std::to_string(size);
  e.stack = where;
  e.access_size = size;
  if (bad.state == ShadowState::BelowStackPointer && context.stack_pointer &&
      address < *context.stack_pointer) {
    e.aux.push_back({Address(address) + " is on thread 1's stack", kNoBacktrace});
    e.aux.push_back(
        {std::to_string(*context.stack_pointer - address) + " bytes below stack pointer",
         kNoBacktrace});
  } else if (bad.state == ShadowState::OutsideMemory && address < context.memory_size) {
    char size_text[24];
    snprintf(size_text, sizeof size_text, "0x%" PRIx64, context.memory_size);
    e.aux.push_back({Address(address) + " runs past the end of linear memory of size " + size_text,
                     kNoBacktrace});
  } else {
    e.aux = DescribeAddress(address, heap, context);
  }
  return e;
}

std::optional<MemcheckError> BadFreeError(const FreeOutcome& outcome, uint32_t pointer,
                                          const AddressContext& context, BacktraceId where) {
  MemcheckError e;
  e.stack = where;
  switch (outcome.verdict) {
    case FreeVerdict::Freed:
    case FreeVerdict::NullPointer: return std::nullopt;
    case FreeVerdict::Mismatched:
      e.kind = ErrorKind::MismatchedFree;
      e.what = "Mismatched free() / delete / delete []";
      break;
    case FreeVerdict::DoubleFree:
    case FreeVerdict::InvalidFree:
      e.kind = ErrorKind::InvalidFree;
      e.what = "Invalid free() / delete / delete[] / realloc()";
      break;
  }
  if (outcome.block) {
    BlockDescription d{*outcome.block, BlockRelation::Inside, 0};
    if (pointer < outcome.block->user_begin) {
      d.relation = BlockRelation::Before;
      d.distance = outcome.block->user_begin - pointer;
    } else if (pointer >= outcome.block->user_end()) {
      d.relation = BlockRelation::After;
      d.distance = pointer - outcome.block->user_end();
    } else {
      d.distance = pointer - outcome.block->user_begin;
    }
    e.aux = DescribeBlock(pointer, d);
  } else {
    e.aux = DescribeAddress(pointer, nullptr, context);
  }
  return e;
}

}  // namespace wasmgrind::memcheck
