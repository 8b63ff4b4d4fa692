// `wasmgrind disas PROG.wasm [--func NAME]`: each defined function's wasm instructions (our
// disassembler) interleaved with the x86-64 code the JIT generated for them (Capstone), using
// the PC maps. The module is compiled with EngineOptions::map_every_instruction so that every
// instruction's code has a PC map entry; that adds labels, so the code shown may differ a
// little (block boundaries for the register allocator) from what `run` executes.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

namespace wasmgrind {

struct DisasOptions {
  std::filesystem::path module;
  std::optional<std::string> func;  // a function name, an export name, or an index
  bool stack_check = true;          // EngineOptions::check_c_stack, as `run` has it
  bool verify_jit = false;          // --verify-jit: show the code `run --verify-jit` runs
  // --memcheck[=no-undef]: the code `run --memcheck` runs (with V-bit tracking unless
  // `--undef-value-errors=no` is given too).
  bool memcheck = false;
  std::string undef_value_errors = "yes";
};

// Returns the exit status: 0, or 2 (kExitError) for an unreadable/invalid module or an
// unknown --func.
int RunDisasCommand(const DisasOptions& options, std::ostream& out, std::ostream& err);

}  // namespace wasmgrind
