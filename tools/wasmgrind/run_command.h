// `wasmgrind run`: compile one module, instantiate it with the WASI preview1 imports, then call
// `--invoke NAME` with arguments from the command line (printing the results) or `_start` if
// it is exported (a WASI command: ARGS become its argv).
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "memcheck/memcheck_options.h"
#include "vm/vmcontext.h"

namespace wasmgrind {

struct RunOptions {
  std::filesystem::path module;
  std::optional<std::string> invoke;
  std::vector<std::string> args;
  std::vector<std::string> dirs;  // --dir HOST[::GUEST]
  std::vector<std::string> env;   // --env NAME[=VALUE]
  bool inherit_env = false;
  bool libc_replacements = true;                           // EngineOptions::replace_libc_functions
  bool stack_check = true;                                 // EngineOptions::check_c_stack
  bool fault_report = false;                               // --fault-report: the full text report
  std::optional<std::filesystem::path> fault_report_json;  // --fault-report-json FILE
  bool verify_jit = false;  // --verify-jit: EngineOptions::verify_jit_invariants
  uint64_t max_wasm_stack = kDefaultMaxWasmStack;  // --max-wasm-stack BYTES
  bool memcheck = false;                           // --memcheck
  bool perf_map = false;                           // --profile=perfmap
  memcheck::MemcheckOptions memcheck_options;      // Valgrind's options (--leak-check=full, ...)
  std::vector<std::string> tool_args;  // wasmgrind's own argv, for the report's preamble
};

// Returns the process exit status (see exit_codes.h). Results go to `out`, errors to `err` as
// one line; a trap prints its reason, the memory fault and the wasm backtrace on `err` (and the
// full report with --fault-report; the JSON report goes to --fault-report-json's file).
int RunRunCommand(const RunOptions& options, std::ostream& out, std::ostream& err);

}  // namespace wasmgrind
