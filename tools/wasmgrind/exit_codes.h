// Exit statuses of the wasmgrind CLI, in one place so that --help, the commands and the tests
// agree.
#pragma once

namespace wasmgrind {

constexpr int kExitOk = 0;
constexpr int kExitFailures = 1;  // wast: test failures (or a known-failures mismatch)
constexpr int kExitError = 2;     // usage, file or module error
constexpr int kExitSkipped = 77;  // wast: wast2json is not installed (ctest's "skipped")
constexpr int kExitTrap = 134;    // run: the program trapped (as wasmtime reports it)

}  // namespace wasmgrind
