// BacktraceStore interning and backtrace symbolization (see backtrace.h).
#include "memcheck/backtrace.h"

#include <algorithm>

namespace wasmgrind::memcheck {

BacktraceStore::BacktraceStore() { stacks_.emplace_back(); }

size_t BacktraceStore::Hash::operator()(const Backtrace& b) const {
  uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a over the frame words
  for (const Frame& f : b) {
    for (uint32_t word : {f.function_index, f.offset}) {
      h ^= word;
      h *= 0x100000001b3ull;
    }
  }
  return static_cast<size_t>(h);
}

BacktraceId BacktraceStore::Intern(const Backtrace& frames) {
  if (frames.empty()) return kNoBacktrace;
  auto kept_size = static_cast<std::ptrdiff_t>(std::min(frames.size(), max_frames_));
  Backtrace kept(frames.begin(), frames.begin() + kept_size);
  auto it = ids_.find(kept);
  if (it != ids_.end()) return it->second;
  auto id = static_cast<BacktraceId>(stacks_.size());
  stacks_.push_back(kept);
  ids_.emplace(std::move(kept), id);
  return id;
}

std::vector<SymbolizedFrame> SymbolizeBacktrace(const Symbolizer& symbolizer,
                                                const Backtrace& frames, size_t max_frames) {
  std::vector<SymbolizedFrame> out;
  for (const Frame& frame : frames) {
    for (SymbolizedFrame& f : symbolizer.Symbolize(frame)) {
      if (out.size() == max_frames) return out;
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace wasmgrind::memcheck
