// Modules for tests written in the text format: wabt's wat2wasm assembles them (tests that
// need it skip when it is not installed).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace wasmgrind::test {

// Assembles `wat`; empty on failure (with the tool's message added to the test failure). With
// `names`, the module gets a name section from the text's $names (as clang's modules have).
inline std::vector<uint8_t> Wat2Wasm(const std::string& wat, bool names = false) {
  char dir_template[] = "/tmp/wg_jit_test_XXXXXX";
  const char* dir = mkdtemp(dir_template);
  if (dir == nullptr) return {};
  std::string in = std::string(dir) + "/m.wat", out = std::string(dir) + "/m.wasm";
  std::ofstream(in) << wat;
  std::string cmd = std::string("wat2wasm --no-check ") + (names ? "--debug-names " : "") + in +
                    " -o " + out + " 2>&1";
  std::string log;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[512];
    while (fgets(buf, sizeof buf, p) != nullptr) log += buf;
    if (pclose(p) != 0) ADD_FAILURE() << "wat2wasm failed: " << log;
  }
  std::ifstream f(out, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (bytes.empty()) ADD_FAILURE() << "wat2wasm produced nothing: " << log;
  std::remove(in.c_str());
  std::remove(out.c_str());
  rmdir(dir);
  return bytes;
}

inline bool HaveWat2Wasm() { return std::system("wat2wasm --version > /dev/null 2>&1") == 0; }

}  // namespace wasmgrind::test
