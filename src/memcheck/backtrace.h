// Backtraces as memcheck keeps them: wasm frames (function index, module byte offset),
// innermost first, unsymbolized. Every heap block holds two (alloc, free), so they are interned
// in a BacktraceStore and blocks hold a 4-byte id; equal stacks share one entry, which also
// makes "same allocation stack" (leak grouping) an integer compare. Turning frames into names
// and lines is the VM's job, through the Symbolizer interface, and happens only when a report
// is printed.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace wasmgrind::memcheck {

struct Frame {
  uint32_t function_index = 0;  // function index space (imports first)
  uint32_t offset = 0;          // module byte offset of the instruction (a call, or the access)
  auto operator<=>(const Frame&) const = default;
};

using Backtrace = std::vector<Frame>;

// An interned backtrace. kNoBacktrace: none was recorded (the runtime had no frames).
using BacktraceId = uint32_t;
inline constexpr BacktraceId kNoBacktrace = 0;

class BacktraceStore {
 public:
  BacktraceStore();
  // Keeps at most max_frames frames (--num-callers) of `frames`.
  BacktraceId Intern(const Backtrace& frames);
  const Backtrace& Get(BacktraceId id) const { return stacks_[id]; }
  size_t size() const { return stacks_.size() - 1; }

  void set_max_frames(size_t n) { max_frames_ = n == 0 ? 1 : n; }
  size_t max_frames() const { return max_frames_; }

 private:
  struct Hash {
    size_t operator()(const Backtrace& b) const;
  };
  std::vector<Backtrace> stacks_;  // [0] is the empty kNoBacktrace
  std::unordered_map<Backtrace, BacktraceId, Hash> ids_;
  size_t max_frames_ = 12;  // Valgrind's --num-callers default
};

// One source-level frame. A wasm frame may give several (inlined calls, innermost first),
// which reports print as separate lines with the same address, as Valgrind does.
struct SymbolizedFrame {
  uint64_t pc = 0;             // printed as the frame's address (the module byte offset)
  std::string function;        // demangled; empty if unknown (printed "???")
  std::string linkage_name;    // mangled, for suppressions (fun: matches either)
  std::string object;          // the module's file path
  std::string directory;       // source directory, for XML's <dir>
  std::string file;            // source file as DWARF names it; empty if unknown
  uint32_t line = 0;           // 0: unknown
};

// Implemented by the VM (names from the name section / DWARF, lines from .debug_line).
class Symbolizer {
 public:
  virtual ~Symbolizer() = default;
  virtual std::vector<SymbolizedFrame> Symbolize(const Frame& frame) const = 0;
};

// Expands every frame of `frames`, keeping at most max_frames source frames.
std::vector<SymbolizedFrame> SymbolizeBacktrace(const Symbolizer& symbolizer,
                                                const Backtrace& frames, size_t max_frames);

}  // namespace wasmgrind::memcheck
