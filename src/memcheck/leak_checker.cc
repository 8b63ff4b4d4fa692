// The leak scan and the grouping into loss records (see leak_checker.h).
#include "memcheck/leak_checker.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>
#include <tuple>

namespace wasmgrind::memcheck {

namespace {

enum class Mark : uint8_t { Unreached, Possible, Reachable, Indirect };

class Scanner {
 public:
  Scanner(std::span<const uint8_t> memory, std::span<const HeapBlock> blocks,
          LeakHeuristicSet heuristics)
      : memory_(memory),
        blocks_(blocks),
        heuristics_(heuristics),
        marks_(blocks.size(), Mark::Unreached),
        indirect_(blocks.size(), 0),
        via_(blocks.size(), std::nullopt) {}

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
  // The heuristic whose pointer alone made block i reachable, if one did.
  std::optional<LeakHeuristic> ReachableVia(size_t i) const {
    return marks_[i] == Mark::Reachable ? via_[i] : std::nullopt;
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

  // The aligned word at `address`, if it lies in memory.
  std::optional<uint32_t> WordAt(uint64_t address) const {
    if (address % 4 != 0 || address + 4 > memory_.size()) return std::nullopt;
    uint32_t w;
    memcpy(&w, memory_.data() + address, 4);
    return w;
  }

  // The first heuristic (in Valgrind's order) under which v, inside block b but not at its
  // start, counts as a start pointer (leak_checker.h).
  std::optional<LeakHeuristic> HeuristicFor(const HeapBlock& b, uint32_t v) const {
    const uint32_t offset = v - b.user_begin;
    if (heuristics_.Has(LeakHeuristic::StdString) && offset == 12) {
      auto length = WordAt(b.user_begin), capacity = WordAt(b.user_begin + 4);
      if (length && capacity && uint64_t{12} + *capacity + 1 == b.user_size &&
          *length <= *capacity) {
        return LeakHeuristic::StdString;
      }
    }
    if (heuristics_.Has(LeakHeuristic::Length64) && offset == 8) {
      auto low = WordAt(b.user_begin), high = WordAt(b.user_begin + 4);
      const uint64_t length = low && high ? (uint64_t{*high} << 32 | *low) : 0;
      if (length > 0 && length == b.user_size - 8) return LeakHeuristic::Length64;
    }
    if (heuristics_.Has(LeakHeuristic::NewArray) && b.family == AllocFamily::NewArray &&
        (offset == 4 || offset == 8 || offset == 16)) {
      auto count = WordAt(v - 4);
      const uint32_t elements = b.user_size - offset;
      if (count && *count > 0 && elements >= *count && elements % *count == 0) {
        return LeakHeuristic::NewArray;
      }
    }
    if (heuristics_.Has(LeakHeuristic::MultipleInheritance) && IsSecondBase(b, v)) {
      return LeakHeuristic::MultipleInheritance;
    }
    return std::nullopt;
  }

  // v points at the vtable pointer of a base at a non-zero offset of the C++ object at b's
  // start (Itanium ABI, wasm32: an address point is preceded by the offset to the top, then
  // the type info pointer).
  bool IsSecondBase(const HeapBlock& b, uint32_t v) const {
    const uint32_t offset = v - b.user_begin;
    auto first = WordAt(b.user_begin), inner = WordAt(v);
    if (!first || !inner || *first < 8 || *inner < 8) return false;
    // A vtable is static data, never heap.
    if (Find(*first) || Find(*inner)) return false;
    auto first_top = WordAt(*first - 8), inner_top = WordAt(*inner - 8);
    auto first_type = WordAt(*first - 4), inner_type = WordAt(*inner - 4);
    return first_top && inner_top && first_type && inner_type && *first_top == 0 &&
           *inner_top == 0u - offset && *first_type == *inner_type;
  }

  void Reach(uint32_t v, bool chain_definite) {
    auto i = Find(v);
    if (!i) return;
    const HeapBlock& b = blocks_[*i];
    bool start = v == b.user_begin;
    std::optional<LeakHeuristic> heuristic;
    if (!start && b.user_end() <= memory_.size()) heuristic = HeuristicFor(b, v);
    Mark via = chain_definite && (start || heuristic) ? Mark::Reachable : Mark::Possible;
    if (marks_[*i] == Mark::Unreached || (marks_[*i] == Mark::Possible && via == Mark::Reachable)) {
      marks_[*i] = via;
      via_[*i] = heuristic;
      work_.push_back(*i);
    } else if (marks_[*i] == Mark::Reachable && via == Mark::Reachable && start) {
      via_[*i] = std::nullopt;  // a real start pointer too
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
  LeakHeuristicSet heuristics_;
  std::vector<Mark> marks_;
  std::vector<uint64_t> indirect_;
  std::vector<std::optional<LeakHeuristic>> via_;
  std::vector<size_t> work_;
};

}  // namespace

LeakResult FindLeaks(std::span<const uint8_t> memory, const LeakRoots& roots,
                     std::span<const HeapBlock> blocks, LeakHeuristicSet heuristics) {
  Scanner scanner(memory, blocks, heuristics);
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
    if (std::optional<LeakHeuristic> h = scanner.ReachableVia(i)) {
      LeakTotal& via = result.reachable_via[static_cast<int>(*h)];
      via.bytes += blocks[i].user_size;
      via.blocks++;
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
