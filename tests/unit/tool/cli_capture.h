// CliCapture: runs the wasmgrind CLI in-process (RunCli) with `wasmgrind` as argv[0] and keeps
// what it wrote to its out and err streams, for the CLI and fault-report tests.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "cli.h"

namespace wasmgrind {

struct CliCapture {
  std::ostringstream out, err;

  // Returns RunCli's exit status; out and err hold only this run's output.
  int Run(std::vector<std::string> args) {
    args.insert(args.begin(), "wasmgrind");
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    out.str("");
    err.str("");
    return RunCli(static_cast<int>(argv.size()), argv.data(), out, err);
  }
};

}  // namespace wasmgrind
