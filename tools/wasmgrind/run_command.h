// `wasmgrind run`: compile and instantiate one module, then call `--invoke NAME` with
// arguments from the command line (printing the results) or `_start` if it is exported.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace wasmgrind {

struct RunOptions {
  std::filesystem::path module;
  std::optional<std::string> invoke;
  std::vector<std::string> args;
};

// Returns the process exit status (see exit_codes.h). Results go to `out`, errors and traps
// to `err`, each as one line.
int RunRunCommand(const RunOptions& options, std::ostream& out, std::ostream& err);

}  // namespace wasmgrind
