// Parsing of the CLI spellings of WASI options (see wasi_options.h).
#include "wasi_options.h"

#include <cstdlib>

extern char** environ;

namespace wasmgrind::wasi {

Result<Preopen> ParsePreopen(std::string_view spec) {
  Preopen preopen;
  size_t sep = spec.find("::");
  if (sep == std::string_view::npos) {
    preopen.host_path = spec;
    preopen.guest_path = spec;
  } else {
    preopen.host_path = spec.substr(0, sep);
    preopen.guest_path = spec.substr(sep + 2);
  }
  if (preopen.host_path.empty() || preopen.guest_path.empty()) {
    return Error::Make(ErrorKind::Usage, "--dir expects HOST_DIR or HOST_DIR::GUEST_DIR, got '" +
                                             std::string(spec) + "'");
  }
  return preopen;
}

Result<std::pair<std::string, std::string>> ParseEnvVar(std::string_view spec) {
  size_t eq = spec.find('=');
  std::string name(spec.substr(0, eq));
  if (name.empty()) {
    return Error::Make(ErrorKind::Usage,
                       "--env expects NAME=VALUE or NAME, got '" + std::string(spec) + "'");
  }
  if (eq != std::string_view::npos) return std::pair{name, std::string(spec.substr(eq + 1))};
  const char* host_value = std::getenv(name.c_str());
  if (host_value == nullptr) {
    return Error::Make(ErrorKind::Usage, "--env " + name + ": not set in the host environment");
  }
  return std::pair{name, std::string(host_value)};
}

std::vector<std::pair<std::string, std::string>> HostEnvironment() {
  std::vector<std::pair<std::string, std::string>> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view s(*entry);
    size_t eq = s.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    env.emplace_back(std::string(s.substr(0, eq)), std::string(s.substr(eq + 1)));
  }
  return env;
}

}  // namespace wasmgrind::wasi
