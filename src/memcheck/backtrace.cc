// BacktraceStore interning and backtrace symbolization (see backtrace.h).
#include "memcheck/backtrace.h"

#include <algorithm>
#include <utility>

namespace wasmgrind::memcheck {

BacktraceStore::BacktraceStore() : stacks_(1), hashes_(1), table_(1024, kNoBacktrace) {}

uint64_t BacktraceStore::Hash(std::span<const Frame> frames) {
  uint64_t h = frames.size();
  for (const Frame& f : frames) {
    h = (h ^ (uint64_t{f.function_index} << 32 | f.offset)) * 0x9e3779b97f4a7c15ull;
    h ^= h >> 29;
  }
  return h;
}

BacktraceId BacktraceStore::Intern(std::span<const Frame> frames) {
  if (frames.empty()) return kNoBacktrace;
  frames = frames.first(std::min(frames.size(), max_frames_));
  const uint64_t hash = Hash(frames);
  const size_t mask = table_.size() - 1;
  size_t slot = hash & mask;
  for (; table_[slot] != kNoBacktrace; slot = (slot + 1) & mask) {
    BacktraceId id = table_[slot];
    if (hashes_[id] == hash && std::ranges::equal(stacks_[id], frames)) return id;
  }
  auto id = static_cast<BacktraceId>(stacks_.size());
  stacks_.emplace_back(frames.begin(), frames.end());
  hashes_.push_back(hash);
  table_[slot] = id;
  if (stacks_.size() * 2 > table_.size()) Rehash();  // keep the load at most 1/2
  return id;
}

void BacktraceStore::Rehash() {
  std::vector<BacktraceId> table(table_.size() * 2, kNoBacktrace);
  const size_t mask = table.size() - 1;
  for (BacktraceId id = 1; id < stacks_.size(); ++id) {
    size_t slot = hashes_[id] & mask;
    while (table[slot] != kNoBacktrace) slot = (slot + 1) & mask;
    table[slot] = id;
  }
  table_ = std::move(table);
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
