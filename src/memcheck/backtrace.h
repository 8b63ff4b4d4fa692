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
#include <new>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace wasmgrind::memcheck {

// A hash's final mix (murmur3's): table slots are taken from the low bits, which chained
// multiplications leave weak, and stacks that differ in one frame must not cluster.
inline uint64_t FinalMix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

struct Frame {
  uint32_t function_index = 0;  // function index space (imports first)
  uint32_t offset = 0;          // module byte offset of the instruction (a call, or the access)
  auto operator<=>(const Frame&) const = default;
};

using Backtrace = std::vector<Frame>;

// An interned backtrace. kNoBacktrace: none was recorded (the runtime had no frames).
using BacktraceId = uint32_t;
inline constexpr BacktraceId kNoBacktrace = 0;

// Every malloc and free interns one, so a lookup allocates nothing and touches little: the
// stacks' frames lie end to end in one array, and an open-addressing table holds each id with
// a tag of its hash and where its frames are, so a lookup reads the table slot and, when the
// tags agree (nearly always the match itself), the frames: two cache lines, not a vector's
// header and its separate allocation on top.
class BacktraceStore {
 public:
  BacktraceStore();
  // Keeps at most max_frames frames (--num-callers) of `frames`.
  BacktraceId Intern(std::span<const Frame> frames);
  BacktraceId Intern(const Backtrace& frames) { return Intern(std::span<const Frame>(frames)); }
  // Valid until the next Intern.
  std::span<const Frame> Get(BacktraceId id) const {
    return std::span<const Frame>(frames_).subspan(starts_[id], starts_[id + 1] - starts_[id]);
  }
  size_t size() const { return starts_.size() - 2; }

  void set_max_frames(size_t n) { max_frames_ = n == 0 ? 1 : n; }
  size_t max_frames() const { return max_frames_; }

 private:
  struct Slot {
    uint32_t tag = 0;               // the hash's high half
    BacktraceId id = kNoBacktrace;  // kNoBacktrace: empty
    uint32_t start = 0;             // starts_[id], kept here to save a load
    uint32_t size = 0;
  };

  static uint64_t Hash(std::span<const Frame> frames);
  void Rehash();

  std::vector<Frame> frames_;     // every stack's frames, by id
  std::vector<uint32_t> starts_;  // id -> its first frame; [id + 1] ends it ([0] is kNoBacktrace)
  std::vector<uint64_t> hashes_;  // by id, for Rehash
  std::vector<Slot> table_;       // power-of-two size
  size_t max_frames_ = 12;        // Valgrind's --num-callers default
};

// Where an event happened, for the checker: a backtrace already interned, a way to capture
// one when it turns out to be needed (an access's slow path is mostly a false alarm and must
// not pay for a stack walk), or a way to find its id when asked (the allocator hooks, which
// always need one: their depot lookup is finished as late as the checker can ask, so that its
// cache miss overlaps the hook's other work).
// The callback is kept inline, never on the heap: one is made on every slow path of an
// access and every stack-pointer move, where a std::function of a few captured references
// cost a malloc and a free each time.
class CaptureBacktrace {
 public:
  CaptureBacktrace(BacktraceId id) : id_(id) {}  // NOLINT(google-explicit-constructor)
  template <typename F>
  requires std::is_invocable_r_v<Backtrace, const F&> CaptureBacktrace(F capture)  // NOLINT
      : intern_([](const void* f, BacktraceStore& store) {
          return store.Intern((*static_cast<const F*>(f))());
        }) {
    Store(capture);
  }
  template <typename F>
  requires std::is_invocable_r_v<BacktraceId, const F&> CaptureBacktrace(F find)  // NOLINT
      : intern_([](const void* f, BacktraceStore&) { return (*static_cast<const F*>(f))(); }) {
    Store(find);
  }

  BacktraceId Intern(BacktraceStore& store) const {
    return intern_ != nullptr ? intern_(storage_, store) : id_;
  }

 private:
  static constexpr size_t kInlineBytes = 48;
  template <typename F>
  void Store(const F& f) {
    static_assert(std::is_trivially_copyable_v<F> && sizeof(F) <= kInlineBytes &&
                      alignof(F) <= alignof(std::max_align_t),
                  "capture by reference or by value of a few words");
    new (storage_) F(f);
  }

  BacktraceId id_ = kNoBacktrace;
  BacktraceId (*intern_)(const void*, BacktraceStore&) = nullptr;
  // Unset for an id (no zeroing: the allocator hooks make one per call): intern_ says whether
  // it holds anything.
  alignas(std::max_align_t) unsigned char storage_[kInlineBytes];
};

// One source-level frame. A wasm frame may give several (inlined calls, innermost first),
// which reports print as separate lines with the same address, as Valgrind does.
struct SymbolizedFrame {
  uint64_t pc = 0;           // printed as the frame's address (the module byte offset)
  std::string function;      // demangled; empty if unknown (printed "???")
  std::string linkage_name;  // mangled, for suppressions (fun: matches either)
  std::string object;        // the module's file path
  std::string directory;     // source directory, for XML's <dir>
  std::string file;          // source file as DWARF names it; empty if unknown
  uint32_t line = 0;         // 0: unknown
};

// Implemented by the VM (names from the name section / DWARF, lines from .debug_line).
class Symbolizer {
 public:
  virtual ~Symbolizer() = default;
  virtual std::vector<SymbolizedFrame> Symbolize(const Frame& frame) const = 0;
};

// Expands every frame of `frames`, keeping at most max_frames source frames.
std::vector<SymbolizedFrame> SymbolizeBacktrace(const Symbolizer& symbolizer,
                                                std::span<const Frame> frames, size_t max_frames);

// Valgrind's --show-below-main=no. The code that runs before main (Valgrind's
// __libc_start_main; wasi-libc's _start and wasm-ld's _start.command_export) is named
// "(below main)": RenameBelowMain, for every frame (suppressions match the renamed stack).
// A shown stack ends at main or, with no main on it, at the innermost of those frames:
// CutBelowMain, of a renamed stack.
inline constexpr const char* kBelowMain = "(below main)";
void RenameBelowMain(std::vector<SymbolizedFrame>& frames);
void CutBelowMain(std::vector<SymbolizedFrame>& frames);

}  // namespace wasmgrind::memcheck
