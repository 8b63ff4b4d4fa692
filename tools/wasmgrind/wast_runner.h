// WastRunner: executes the commands of one spec test script against the engine, in order, in
// one Store and Linker (with the spectest host module defined), and records each outcome.
// Every module command and every assert_* / action command is one assertion (`register` is
// not, unless it fails); a failure is recorded as "<what was expected> / <what happened>" and
// the script goes on.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "vm/jit/engine.h"
#include "vm/result.h"
#include "vm/runtime/api.h"
#include "wast_script.h"

namespace wasmgrind {

struct WastFailure {
  uint32_t line = 0;
  std::string message;  // "<what was expected> / <what happened>"
};

struct WastFileReport {
  std::string file;  // the script's file name, e.g. "i32.wast"
  uint32_t passed = 0;
  uint32_t failed = 0;
  uint32_t skipped_text = 0;  // assert_invalid / assert_malformed on the text format
  std::vector<WastFailure> failures;
};

class WastRunner {
 public:
  // The binaries of the script's modules, by the file name the script uses.
  using ModuleFiles = std::map<std::string, std::vector<uint8_t>>;

  // Spectest prints go to `out`.
  WastRunner(Engine& engine, ModuleFiles modules, std::string file, std::ostream& out);
  WastRunner(const WastRunner&) = delete;
  WastRunner& operator=(const WastRunner&) = delete;

  WastFileReport Run(const WastScript& script);

 private:
  // The failure message of `cmd`, or nullopt if it passed.
  std::optional<std::string> Execute(const WastCommand& cmd);
  std::optional<std::string> ExecuteModule(const WastCommand& cmd);
  std::optional<std::string> ExecuteRegister(const WastCommand& cmd);
  std::optional<std::string> ExecuteAssertReturn(const WastCommand& cmd);
  std::optional<std::string> ExecuteAssertTrap(const WastCommand& cmd);
  std::optional<std::string> ExecuteAssertModuleFails(const WastCommand& cmd);

  Result<std::shared_ptr<const Module>> LoadModule(const std::string& filename);
  Result<Instance*> FindInstance(const std::optional<std::string>& name) const;
  Result<std::vector<Value>> DoAction(const WastAction& action);

  Engine& engine_;
  ModuleFiles modules_;
  std::string file_;
  std::ostream& out_;
  Store store_;
  Linker linker_;
  std::optional<std::string> setup_error_;  // the spectest module could not be created
  Instance* current_ = nullptr;
  std::map<std::string, Instance*> named_;
};

// One line describing an error: "<kind>: <message> (at offset 0x..)".
std::string DescribeError(const Error& error);

// Converts `wast` with `wast2json_tool` into a private temporary directory, reads the JSON and
// every binary module into memory, removes the directory (so that even a crash in the engine
// leaves nothing behind) and runs the script. An error means the script could not be run at
// all (conversion, JSON or a module file failed).
Result<WastFileReport> RunWastFile(Engine& engine, const std::filesystem::path& wast2json_tool,
                                   const std::filesystem::path& wast, std::ostream& out);

}  // namespace wasmgrind
