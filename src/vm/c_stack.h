// FindCStack: where a C program compiled by clang keeps its stack in linear memory, from the
// module alone, so that JIT code can check the stack pointer where it moves and report a C
// stack overflow when it happens (rather than a wrap to 0xfffffff0 reported as an out-of-bounds
// access, or, with the stack above the data, silently overwritten data).
//
// clang's wasm32 code keeps the C stack pointer in a mutable i32 global that wasm-ld calls
// `__stack_pointer` (the name section's global names). Its initial value is the top of the
// stack, which grows down. The bottom: wasm-ld places the stack either after the data (the
// default: the bottom is the end of the data below the top, `__data_end`) or, with
// -Wl,--stack-first, at the start of memory (no data below the top: the bottom is 0). So the
// bottom is the highest end of the active data segments of memory 0 that lie below the top, or 0.
//
// Without global names (binaryen's wasm-opt dropped the name section), a module whose producers
// section names clang has the stack pointer as its first global, if that global is laid out
// exactly as wasm-ld lays out __stack_pointer (c_stack.cc). Other modules have no C stack to
// check. The check is a few instructions at each `global.set` of the global, that is at each
// function entry and exit that uses stack memory.
//
// Known limit: zero-initialised data (.bss) has no data segment, so in the default layout the
// bottom found is the end of the initialised data, below the real one (`__data_end`, which
// clang 14's wasm-ld leaves in no global): an overflow is caught only once it passes the .bss.
// --memcheck reads the DWARF variables to push the bottom past the .bss (`data_end`).
#pragma once

#include <cstdint>
#include <optional>

#include "vm/module_info.h"

namespace wasmgrind {

struct CStackRegion {
  uint32_t global_index = 0;  // the stack pointer global, in the global index space
  uint32_t bottom = 0;        // lowest valid stack pointer
  uint32_t top = 0;           // the initial stack pointer: the stack is [bottom, top)
  uint32_t size() const { return top - bottom; }
  // Whether `sp` is a valid stack pointer (top included: the empty stack).
  bool Contains(uint32_t sp) const { return sp - bottom <= top - bottom; }
};

// `data_end`: where the data below the stack is known to end beyond its segments (the end of
// the zero-initialised variables DWARF describes, data_symbols.h); 0 if unknown. The bottom is
// then at least data_end rounded up to 16, where wasm-ld starts the stack.
std::optional<CStackRegion> FindCStack(const ModuleInfo& module, uint32_t data_end = 0);

}  // namespace wasmgrind
