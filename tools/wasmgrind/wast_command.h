// `wasmgrind wast`: runs spec test scripts, prints failures and counts, and checks the result
// against the known-failures list.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <vector>

namespace wasmgrind {

struct WastOptions {
  std::vector<std::filesystem::path> files;
  std::optional<std::filesystem::path> known_failures;
};

// Returns the process exit status (see exit_codes.h). Spectest prints and reports go to `out`,
// errors to `err`.
int RunWastCommand(const WastOptions& options, std::ostream& out, std::ostream& err);

}  // namespace wasmgrind
