// `wasmgrind wast`: runs spec test scripts, prints failures and counts, and checks the result
// against the known-failures list.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <vector>

#include "vm/vmcontext.h"

namespace wasmgrind {

struct WastOptions {
  std::vector<std::filesystem::path> files;
  std::optional<std::filesystem::path> known_failures;
  // --split-compile N: compile every module on N threads, splitting even the smallest module's
  // functions across them (EngineOptions::compile_bytes_per_thread = 1), so that the suite's
  // calls and traps cross code blocks (module_compiler.cc). 0: the default partition.
  uint32_t split_compile = 0;
  bool verify_jit = false;  // --verify-jit: EngineOptions::verify_jit_invariants
  uint64_t max_wasm_stack = kDefaultMaxWasmStack;  // --max-wasm-stack BYTES
  bool large_function_path = false;                // EngineOptions' large-function limits at 0
};

// Returns the process exit status (see exit_codes.h). Spectest prints and reports go to `out`,
// errors to `err`.
int RunWastCommand(const WastOptions& options, std::ostream& out, std::ostream& err);

}  // namespace wasmgrind
