// The machine-readable header of a memcheck corpus program (tests/memcheck/README.md has the
// format): the errors Valgrind and `wasmgrind run --memcheck` must report, the native
// expectation where it legitimately differs, extra options, link flags, and how the program
// ends under a plain `wasmgrind run`. confirm_native.py reads the same lines for Valgrind; this
// is the parser for the C++ tests.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "vm/result.h"

namespace wasmgrind {

// One `// EXPECT: KIND[|KIND...] key=value ...` line.
struct CorpusExpectation {
  std::string text;                          // the line after "EXPECT: "
  std::set<std::string> kinds;               // either kind matches
  std::map<std::string, std::string> facts;  // size, line, addr, bytes, blocks, origin, fn
};

// How the program ends under `wasmgrind run` without the checker (`// RUN:`).
struct CorpusRunEnd {
  bool trap = false;
  int exit_code = 0;      // when !trap
  std::string trap_text;  // when trap: part of the "wasm trap: ..." line
};

struct CorpusHeader {
  std::vector<CorpusExpectation> expect;  // empty: `EXPECT: none`
  // Valgrind's on the native build where it legitimately differs (`EXPECT-NATIVE:`), with why.
  std::optional<std::vector<CorpusExpectation>> expect_native;
  std::string differs;
  std::vector<std::string> valgrind_args;  // `VALGRIND:`, for valgrind and --memcheck alike
  std::vector<std::string> link_flags;     // `LINK-FLAGS:`, for the wasm link
  CorpusRunEnd run;
};

// The error kinds an expectation may name: Valgrind's XML <kind>s that memcheck reports, and
// StackOverflow (wasmgrind's C stack overflow trap, which Valgrind has no error for).
const std::set<std::string>& CorpusKnownKinds();

// Reads and checks the header of the program at `path` (a missing EXPECT or RUN line, an
// unknown kind or fact, EXPECT-NATIVE without DIFFERS are errors).
Result<CorpusHeader> ReadCorpusHeader(const std::string& path);

}  // namespace wasmgrind
