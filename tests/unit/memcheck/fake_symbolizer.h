// A Symbolizer for tests: function index -> name, module offset -> line (offset / 16), so a
// frame is written Frame{kMain, Line(12)}. Functions without a file model libc code.
#pragma once

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "memcheck/backtrace.h"

namespace wasmgrind::memcheck::testing {

inline constexpr uint32_t kMalloc = 1, kFree = 2, kMain = 3, kHelper = 4, kInlined = 5;

inline uint32_t Line(uint32_t line) { return line * 16; }

// An event in main at `line` (a capture that is walked only when the checker needs it).
inline CaptureBacktrace At(uint32_t line) {
  return [line] { return Backtrace{{kMain, Line(line)}}; };
}

// A whole file (the checkers' --log-file / --xml-file).
inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class FakeSymbolizer : public Symbolizer {
 public:
  std::vector<SymbolizedFrame> Symbolize(const Frame& frame) const override {
    SymbolizedFrame f;
    f.pc = frame.offset;
    f.object = "/work/bug.wasm";
    switch (frame.function_index) {
      case kMalloc: f.function = "malloc"; return {f};
      case kFree: f.function = "free"; return {f};
      case kMain: break;
      case kHelper:
        f.function = "helper(int)";
        f.linkage_name = "_Z6helperi";
        break;
      case kInlined: {
        // An inlined call: two source frames for one wasm frame, innermost first.
        SymbolizedFrame inner = f;
        inner.function = "inlined_fn";
        inner.directory = "/work";
        inner.file = "bug.c";
        inner.line = 3;
        f.function = "main";
        f.directory = "/work";
        f.file = "bug.c";
        f.line = frame.offset / 16;
        return {inner, f};
      }
      default: f.object.clear(); return {f};  // nothing known: "???"
    }
    if (f.function.empty()) f.function = "main";
    f.directory = "/work";
    f.file = "bug.c";
    f.line = frame.offset / 16;
    return {f};
  }
};

}  // namespace wasmgrind::memcheck::testing
