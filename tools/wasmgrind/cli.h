// The wasmgrind command line: subcommands `run` and `wast` (CLI11). Lives in the tool library,
// not in main.cc, so that tests can drive it in-process.
#pragma once

#include <ostream>

namespace wasmgrind {

// Parses `argv` and runs the chosen command. Returns the process exit status (exit_codes.h);
// a usage error prints one "wasmgrind: error: ..." line to `err` and returns 2.
int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace wasmgrind
