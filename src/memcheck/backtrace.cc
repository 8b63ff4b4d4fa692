// BacktraceStore interning and backtrace symbolization (see backtrace.h).
#include "memcheck/backtrace.h"

#include <algorithm>
#include <bit>
#include <utility>

namespace wasmgrind::memcheck {

BacktraceStore::BacktraceStore() : starts_{0, 0}, hashes_(1), table_(1024) {}

uint64_t BacktraceStore::Hash(std::span<const Frame> frames) {
  // Each frame's product is independent of the others', so the multiplications overlap; only
  // an add and a rotate are chained from frame to frame (every malloc and free hashes one).
  uint64_t h = frames.size();
  for (const Frame& f : frames) {
    h = std::rotl(h, 23) + (uint64_t{f.function_index} << 32 | f.offset) * 0x9e3779b97f4a7c15ull;
  }
  return FinalMix(h);
}

BacktraceId BacktraceStore::Intern(std::span<const Frame> frames) {
  if (frames.empty()) return kNoBacktrace;
  frames = frames.first(std::min(frames.size(), max_frames_));
  const uint64_t hash = Hash(frames);
  const size_t mask = table_.size() - 1;
  const auto tag = static_cast<uint32_t>(hash >> 32);
  size_t slot = hash & mask;
  for (; table_[slot].id != kNoBacktrace; slot = (slot + 1) & mask) {
    const Slot& s = table_[slot];
    if (s.tag == tag && s.size == frames.size() &&
        std::equal(frames.begin(), frames.end(), frames_.begin() + s.start)) {
      return s.id;
    }
  }
  auto id = static_cast<BacktraceId>(starts_.size() - 1);
  auto start = static_cast<uint32_t>(frames_.size());
  frames_.insert(frames_.end(), frames.begin(), frames.end());
  starts_.push_back(static_cast<uint32_t>(frames_.size()));
  hashes_.push_back(hash);
  table_[slot] = Slot{tag, id, start, static_cast<uint32_t>(frames.size())};
  if (starts_.size() * 2 > table_.size()) Rehash();  // keep the load at most 1/2
  return id;
}

void BacktraceStore::Rehash() {
  std::vector<Slot> table(table_.size() * 2);
  const size_t mask = table.size() - 1;
  for (BacktraceId id = 1; id + 1 < starts_.size(); ++id) {
    size_t slot = hashes_[id] & mask;
    while (table[slot].id != kNoBacktrace) slot = (slot + 1) & mask;
    table[slot] = Slot{static_cast<uint32_t>(hashes_[id] >> 32), id, starts_[id],
                       starts_[id + 1] - starts_[id]};
  }
  table_ = std::move(table);
}

void RenameBelowMain(std::vector<SymbolizedFrame>& frames) {
  for (SymbolizedFrame& f : frames) {
    if (f.function == "_start" || f.function == "_start.command_export") {
      f.function = kBelowMain;
      f.linkage_name.clear();
    }
  }
}

void CutBelowMain(std::vector<SymbolizedFrame>& frames) {
  // Valgrind's walk: from the outermost frame in, each below-main frame moves the end to it,
  // and main ends the stack.
  size_t n = frames.size();
  for (size_t i = frames.size(); i-- > 0;) {
    const bool main = frames[i].function == "main";
    if (main || frames[i].function == kBelowMain) n = i + 1;
    if (main) break;
  }
  frames.resize(n);
}

std::vector<SymbolizedFrame> SymbolizeBacktrace(const Symbolizer& symbolizer,
                                                std::span<const Frame> frames, size_t max_frames) {
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
