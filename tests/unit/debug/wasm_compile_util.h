// Test helpers: compile the C/C++ programs in tests/unit/debug/data/ to wasm with the host's
// clang at test run time (into a per-process temp dir), run llvm tools on the result, decode and
// validate the output. Tests skip (GTEST_SKIP) when clang cannot target wasm32-wasi here.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "vm/decode/module_decoder.h"
#include "vm/decode/module_validator.h"
#include "vm/module_info.h"

namespace wasmgrind::test {

// A scratch directory for this test process, removed at exit.
inline const std::filesystem::path& ScratchDir() {
  struct Dir {
    std::filesystem::path path;
    Dir() {
      std::string pattern =
          (std::filesystem::temp_directory_path() / "wasmgrind-debug-XXXXXX").string();
      if (mkdtemp(pattern.data()) != nullptr) path = pattern;
    }
    ~Dir() {
      std::error_code ignored;
      if (!path.empty()) std::filesystem::remove_all(path, ignored);
    }
  };
  static const Dir dir;
  return dir.path;
}

inline std::string DataPath(const std::string& name) {
  return std::string(WG_TESTS_DIR) + "/unit/debug/data/" + name;
}

// Runs a shell command, its output going to `log` (stdout and stderr). True on exit status 0.
inline bool RunCommand(const std::string& command, std::string* log = nullptr) {
  const std::filesystem::path out = ScratchDir() / "command.log";
  const int status = std::system((command + " >" + out.string() + " 2>&1").c_str());
  if (log != nullptr) {
    std::ifstream in(out);
    log->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return status == 0;
}

// The first of `candidates` that runs with --version, or nullopt.
inline std::optional<std::string> FindTool(std::initializer_list<const char*> candidates) {
  for (const char* tool : candidates) {
    if (RunCommand(std::string(tool) + " --version")) return std::string(tool);
  }
  return std::nullopt;
}

// Empty if clang can build a wasm32-wasi C program here, else why not. Probed once.
inline const std::string& WasiClangProblem() {
  static const std::string problem = [] {
    if (ScratchDir().empty()) return std::string("cannot create a temp dir");
    const std::filesystem::path source = ScratchDir() / "probe.c";
    std::ofstream(source) << "int main(void) { return 0; }\n";
    std::string log;
    if (!RunCommand("clang --target=wasm32-wasi -O0 " + source.string() + " -o " +
                        (ScratchDir() / "probe.wasm").string(),
                    &log)) {
      return "clang --target=wasm32-wasi cannot build a program here (needs clang, wasi-libc, "
             "libclang-rt-*-dev-wasm32): " +
             log;
    }
    return std::string();
  }();
  return problem;
}

#define SKIP_WITHOUT_WASI_CLANG()                            \
  do {                                                       \
    if (!::wasmgrind::test::WasiClangProblem().empty()) {    \
      GTEST_SKIP() << ::wasmgrind::test::WasiClangProblem(); \
    }                                                        \
  } while (0)

inline std::vector<uint8_t> ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// `flags` without its optimisation levels (-O0, -O2, -Os, ...).
inline std::string WithoutOptimisationFlags(const std::string& flags) {
  std::string out;
  size_t pos = 0;
  while (pos < flags.size()) {
    size_t end = flags.find(' ', pos);
    if (end == std::string::npos) end = flags.size();
    const std::string token = flags.substr(pos, end - pos);
    if (!token.empty() && token.rfind("-O", 0) != 0) out += (out.empty() ? "" : " ") + token;
    pos = end + 1;
  }
  return out;
}

// Compiles data/`source` with `compiler` (clang or clang++) and `flags` into the scratch dir as
// `output`; returns the .wasm path, or "" after recording a test failure with clang's output.
// Compiles with -c and links without -O: at -O1 and above clang's link step runs binaryen's
// wasm-opt when it is on PATH, which drops the name section and zeroes the DWARF addresses.
inline std::string CompileWasm(const std::string& compiler, const std::string& source,
                               const std::string& flags, const std::string& output) {
  const std::string path = (ScratchDir() / output).string();
  const std::string object = path + ".o";
  std::string log;
  const std::string compile =
      compiler + " --target=wasm32-wasi -c " + flags + " " + DataPath(source) + " -o " + object;
  if (!RunCommand(compile, &log)) {
    ADD_FAILURE() << compile << " failed:\n" << log;
    return "";
  }
  const std::string link = compiler + " --target=wasm32-wasi " + WithoutOptimisationFlags(flags) +
                           " " + object + " -o " + path;
  if (!RunCommand(link, &log)) {
    ADD_FAILURE() << link << " failed:\n" << log;
    return "";
  }
  return path;
}

// Decodes and validates the module at `path`; nullopt (after a test failure) if it does not.
inline std::optional<ModuleInfo> LoadModule(const std::string& path) {
  Result<ModuleInfo> module = DecodeModule(ReadBytes(path));
  if (!module.ok()) {
    ADD_FAILURE() << path << ": " << module.error().ToString();
    return std::nullopt;
  }
  if (Result<void> valid = ValidateModule(*module); !valid.ok()) {
    ADD_FAILURE() << path << ": " << valid.error().ToString();
    return std::nullopt;
  }
  return std::move(*module);
}

// The index of the function the name section calls `name`, or nullopt.
inline std::optional<uint32_t> FindFunction(const ModuleInfo& module, const std::string& name) {
  for (const auto& [index, function_name] : module.names.functions) {
    if (function_name == name) return index;
  }
  return std::nullopt;
}

}  // namespace wasmgrind::test
