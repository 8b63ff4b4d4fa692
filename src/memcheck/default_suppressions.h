// The suppressions every run starts with, as Valgrind's default.supp: leaks that belong to the
// C runtime rather than the program. wasi-libc's startup code puts argv and environ in heap
// blocks it never frees (natively the kernel puts them on the initial stack, outside the
// heap), so every program that reads its arguments would otherwise leak them.
#pragma once

#include <vector>

#include "memcheck/suppressions.h"

namespace wasmgrind::memcheck {

std::vector<Suppression> DefaultSuppressions();

}  // namespace wasmgrind::memcheck
