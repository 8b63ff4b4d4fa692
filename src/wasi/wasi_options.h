// WasiOptions: what a WASI program is started with (arguments, environment, preopened
// directories, stdio descriptors), and the parsing of the CLI's spellings of them
// (`--dir HOST[::GUEST]`, `--env NAME[=VALUE]`, `--inherit-env`), so that every front end
// gives them the same meaning.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vm/result.h"

namespace wasmgrind::wasi {

struct Preopen {
  std::string host_path;   // directory on the host
  std::string guest_path;  // the name the guest sees (e.g. "/sandbox" or "."); empty: host_path
};

struct WasiOptions {
  std::vector<std::string> args;  // args[0] is the program name
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<Preopen> preopens;  // become guest fds 3, 4, ... in this order
  int stdin_fd = 0;
  int stdout_fd = 1;
  int stderr_fd = 2;
};

// "HOST::GUEST" or "HOST" (the guest sees it under the host's spelling). Usage error if
// either side is empty.
Result<Preopen> ParsePreopen(std::string_view spec);
// "NAME=VALUE", or "NAME" to pass the host's value of NAME (Usage error if unset or if NAME
// is empty).
Result<std::pair<std::string, std::string>> ParseEnvVar(std::string_view spec);
// The host process's environment, in order (for --inherit-env).
std::vector<std::pair<std::string, std::string>> HostEnvironment();

}  // namespace wasmgrind::wasi
