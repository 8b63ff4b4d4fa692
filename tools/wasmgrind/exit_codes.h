// Exit statuses of the wasmgrind CLI, in one place so that --help, the commands and the tests
// agree.
#pragma once

#include <cstdint>

namespace wasmgrind {

constexpr int kExitOk = 0;
constexpr int kExitFailures = 1;  // wast: test failures (or a known-failures mismatch)
constexpr int kExitError = 2;     // usage, file or module error
constexpr int kExitSkipped = 77;  // wast: wast2json is not installed (ctest's "skipped")
constexpr int kExitTrap = 134;    // run: the program trapped (as wasmtime reports it)

// run: a proc_exit code from 0 to kMaxProcExitCode is the exit status. WASI reserves 126 and
// above, and the OS keeps only 8 bits (proc_exit(256) would read as success, 134 as a trap,
// 126..255 as what shells report for an unrunnable command or a signal): such a code prints
// one error line and exits with kExitBadProcExit, as wasmtime does.
constexpr uint32_t kMaxProcExitCode = 125;
constexpr int kExitBadProcExit = 1;

}  // namespace wasmgrind
