// The leak scan and the grouping into loss records (see leak_checker.h).
#include "memcheck/leak_checker.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <tuple>

namespace wasmgrind::memcheck {

namespace {

enum class Mark : uint8_t { Unreached, Possible, Reachable, Indirect };

class Scanner {
 public:
  Scanner(std::span<const uint8_t> memory, std::span<const HeapBlock> blocks)
      : memory_(memory), blocks_(blocks), marks_(blocks.size(), Mark::Unreached),
        indirect_(blocks.size(), 0), via_cookie_(blocks.size(), false) {}

  // Phase 1: what the roots reach.
  void MarkFromRoots(const LeakRoots& roots) {
    for (const AddressRange& r : roots.memory) {
      ForEachWord(r.begin, r.end, [&](uint32_t v) { Reach(v, /*chain_definite=*/true); });
      DrainReached();
    }
    for (uint32_t v : roots.values) {
      Reach(v, true);
      DrainReached();
    }
  }

  // Phase 2: cliques of unreached blocks, each led by its lowest-addressed unreached member.
  void FormCliques() {
    for (size_t leader = 0; leader < blocks_.size(); ++leader) {
      if (marks_[leader] != Mark::Unreached) continue;
      work_.push_back(leader);
      while (!work_.empty()) {
        size_t b = work_.back();
        work_.pop_back();
        ForEachWordOf(b, [&](uint32_t v) {
          auto k = Find(v);
          if (!k || *k == leader || marks_[*k] != Mark::Unreached) return;
          // An earlier leader found from here joins this clique with everything it led.
          marks_[*k] = Mark::Indirect;
          indirect_[leader] += blocks_[*k].user_size + indirect_[*k];
          indirect_[*k] = 0;
          work_.push_back(*k);
        });
      }
    }
  }

  LeakKind KindOf(size_t i) const {
    switch (marks_[i]) {
      case Mark::Reachable: return LeakKind::Reachable;
      case Mark::Possible: return LeakKind::Possible;
      case Mark::Indirect: return LeakKind::Indirect;
      case Mark::Unreached: return LeakKind::Definite;
    }
    return LeakKind::Definite;
  }
  uint64_t IndirectBytes(size_t i) const { return indirect_[i]; }
  bool ReachableOnlyViaCookie(size_t i) const {
    return marks_[i] == Mark::Reachable && via_cookie_[i];
  }

 private:
  template <typename F>
  void ForEachWord(uint64_t begin, uint64_t end, F f) const {
    end = std::min<uint64_t>(end, memory_.size());
    for (uint64_t a = (begin + 3) & ~uint64_t{3}; a + 4 <= end; a += 4) {
      uint32_t v;
      memcpy(&v, memory_.data() + a, 4);  // wasm memory is little-endian, as is x86-64
      f(v);
    }
  }
  template <typename F>
  void ForEachWordOf(size_t i, F f) const {
    ForEachWord(blocks_[i].user_begin, blocks_[i].user_end(), f);
  }

  // The block whose user bytes contain v (a zero-size block: v == its start).
  std::optional<size_t> Find(uint32_t v) const {
    // Most words are not pointers into the heap at all: reject them before the search.
    if (blocks_.empty() || v < blocks_.front().user_begin || v > blocks_.back().user_end()) {
      return std::nullopt;
    }
    auto it = std::upper_bound(blocks_.begin(), blocks_.end(), v,
                               [](uint32_t x, const HeapBlock& b) { return x < b.user_begin; });
    if (it == blocks_.begin()) return std::nullopt;
    --it;
    bool inside = v < it->user_end() || (it->user_size == 0 && v == it->user_begin);
    if (!inside) return std::nullopt;
    return static_cast<size_t>(it - blocks_.begin());
  }

  // v points just past a new[] cookie: a plausible element count right before it.
  bool IsCookiePointer(const HeapBlock& b, uint32_t v) const {
    uint32_t offset = v - b.user_begin;
    if (b.family != AllocFamily::NewArray || (offset != 4 && offset != 8 && offset != 16)) {
      return false;
    }
    uint32_t count;
    memcpy(&count, memory_.data() + v - 4, 4);
    uint32_t elements = b.user_size - offset;
    return count > 0 && elements >= count && elements % count == 0;
  }

  void Reach(uint32_t v, bool chain_definite) {
    auto i = Find(v);
    if (!i) return;
    const HeapBlock& b = blocks_[*i];
    bool start = v == b.user_begin;
    bool cookie = !start && b.user_end() <= memory_.size() && IsCookiePointer(b, v);
    Mark via = chain_definite && (start || cookie) ? Mark::Reachable : Mark::Possible;
    if (marks_[*i] == Mark::Unreached || (marks_[*i] == Mark::Possible && via == Mark::Reachable)) {
      marks_[*i] = via;
      via_cookie_[*i] = cookie;
      work_.push_back(*i);
    } else if (marks_[*i] == Mark::Reachable && via == Mark::Reachable && start) {
      via_cookie_[*i] = false;  // a real start pointer too
    }
  }

  void DrainReached() {
    while (!work_.empty()) {
      size_t b = work_.back();
      work_.pop_back();
      bool definite = marks_[b] == Mark::Reachable;
      ForEachWordOf(b, [&](uint32_t v) { Reach(v, definite); });
    }
  }

  std::span<const uint8_t> memory_;
  std::span<const HeapBlock> blocks_;
  std::vector<Mark> marks_;
  std::vector<uint64_t> indirect_;
  std::vector<bool> via_cookie_;
  std::vector<size_t> work_;
};

}  // namespace

LeakResult FindLeaks(std::span<const uint8_t> memory, const LeakRoots& roots,
                     std::span<const HeapBlock> blocks) {
  Scanner scanner(memory, blocks);
  scanner.MarkFromRoots(roots);
  scanner.FormCliques();

  LeakResult result;
  std::map<std::pair<LeakKind, BacktraceId>, LossRecord> groups;
  for (size_t i = 0; i < blocks.size(); ++i) {
    LeakKind kind = scanner.KindOf(i);
    result.block_kinds.push_back(kind);
    LeakTotal& total = result.totals[static_cast<int>(kind)];
    total.bytes += blocks[i].user_size;
    total.blocks++;
    if (scanner.ReachableOnlyViaCookie(i)) {
      result.reachable_via_newarray.bytes += blocks[i].user_size;
      result.reachable_via_newarray.blocks++;
    }
    LossRecord& r = groups[{kind, blocks[i].alloc_site}];
    r.kind = kind;
    r.alloc_site = blocks[i].alloc_site;
    r.bytes += blocks[i].user_size;
    r.indirect_bytes += scanner.IndirectBytes(i);
    r.blocks++;
  }
  for (auto& [key, record] : groups) result.records.push_back(record);
  std::stable_sort(result.records.begin(), result.records.end(),
                   [](const LossRecord& a, const LossRecord& b) {
                     return std::tuple(a.total_bytes(), a.kind, a.blocks) <
                            std::tuple(b.total_bytes(), b.kind, b.blocks);
                   });
  return result;
}

}  // namespace wasmgrind::memcheck
