// CompactVirtRegs (see vreg_compactor.h): intervals over the function's nodes, loop extension,
// greedy colouring by start, then the operands are renamed in place.
#include "vm/jit/vreg_compactor.h"

#include <algorithm>
#include <limits>
#include <queue>
#include <unordered_map>
#include <vector>

namespace wasmgrind::jit {
namespace {

using asmjit::BaseNode;
using asmjit::NodeType;
using asmjit::Operand;

constexpr uint32_t kBody = UINT32_MAX;  // region index of the function's body

// Calls `fn(id)` for every virtual-register id a node's operands hold and stores its result
// back (return `id` to leave it). The FuncNode's own argument registers are not operands here.
template <typename Fn>
void RewriteVirtRegs(BaseNode* node, Fn&& fn) {
  if (!node->isInst()) return;
  auto* inst = node->as<asmjit::InstNode>();
  for (uint32_t i = 0; i < inst->opCount(); ++i) {
    Operand& op = inst->op(i);
    if (op.isReg()) {
      if (Operand::isVirtId(op.id())) op.as<asmjit::BaseReg>().setId(fn(op.id()));
    } else if (op.isMem()) {
      auto& mem = op.as<asmjit::BaseMem>();
      if (mem.hasBaseReg() && Operand::isVirtId(mem.baseId())) mem.setBaseId(fn(mem.baseId()));
      if (mem.hasIndexReg() && Operand::isVirtId(mem.indexId())) mem.setIndexId(fn(mem.indexId()));
    }
  }
  if (inst->hasExtraReg() && Operand::isVirtId(inst->extraReg().id())) {
    asmjit::RegOnly& extra = inst->extraReg();
    extra.init(extra.signature(), fn(extra.id()));
  }
  if (node->type() == NodeType::kInvoke) {
    auto* invoke = node->as<asmjit::InvokeNode>();
    auto visit = [&](Operand& op) {
      if (op.isReg() && Operand::isVirtId(op.id())) op.as<asmjit::BaseReg>().setId(fn(op.id()));
    };
    for (uint32_t v = 0; v < asmjit::Globals::kMaxValuePack; ++v) visit(invoke->retPack()[v]);
    for (uint32_t a = 0; a < invoke->argCount(); ++a) {
      for (uint32_t v = 0; v < asmjit::Globals::kMaxValuePack; ++v) visit(invoke->argPack(a)[v]);
    }
  }
}

// Labels a node may jump to: a label operand (jmp/jcc), or a jump table's annotated targets.
template <typename Fn>
void ForEachJumpTarget(BaseNode* node, Fn&& fn) {
  if (!node->isInst()) return;
  auto* inst = node->as<asmjit::InstNode>();
  for (uint32_t i = 0; i < inst->opCount(); ++i) {
    if (inst->op(i).isLabel()) fn(inst->op(i).id());
  }
  if (node->type() == NodeType::kJump) {
    auto* jump = node->as<asmjit::JumpNode>();
    if (jump->hasAnnotation()) {
      for (uint32_t label : jump->annotation()->labelIds()) fn(label);
    }
  }
}

// Maximum over ranges of positions (the latest back-edge source per loop header).
class MaxTree {
 public:
  explicit MaxTree(uint32_t n) : n_(std::max<uint32_t>(n, 1)), tree_(size_t{2} * n_, 0) {}
  void Raise(uint32_t pos, uint32_t value) {
    for (pos += n_; pos > 0; pos >>= 1) tree_[pos] = std::max(tree_[pos], value);
  }
  uint32_t Max(uint32_t lo, uint32_t hi) const {  // over [lo, hi]
    uint32_t best = 0;
    for (lo += n_, hi += n_ + 1; lo < hi; lo >>= 1, hi >>= 1) {
      if (lo & 1) best = std::max(best, tree_[lo++]);
      if (hi & 1) best = std::max(best, tree_[--hi]);
    }
    return best;
  }

 private:
  uint32_t n_;
  std::vector<uint32_t> tree_;
};

struct Span {
  uint32_t lo = UINT32_MAX;
  uint32_t hi = 0;
  void Add(uint32_t l, uint32_t h) {
    lo = std::min(lo, l);
    hi = std::max(hi, h);
  }
  bool empty() const { return lo > hi; }
};

}  // namespace

CompactionStats CompactVirtRegs(asmjit::x86::Compiler& cc, asmjit::FuncNode* func, BaseNode* last,
                                std::span<const DeferredRegion> deferred) {
  // Pass 1: number the nodes; note labels, jumps, register occurrences and the region of each.
  struct Jump {
    uint32_t pos;
    uint32_t region;
    uint32_t label;
  };
  struct Use {
    uint32_t pos;
    uint32_t region;
    uint32_t vindex;
  };
  struct LabelAt {
    uint32_t pos;
    uint32_t region;
  };
  std::unordered_map<uint32_t, LabelAt> labels;
  std::vector<Jump> jumps;
  std::vector<Use> uses;
  uint32_t region = kBody;
  size_t next_region = 0;
  uint32_t pos = 0;
  uint32_t body_end = 0;
  for (BaseNode* node = func;; node = node->next(), ++pos) {
    if (next_region < deferred.size() && node == deferred[next_region].first) {
      region = static_cast<uint32_t>(next_region++);
    }
    if (region == kBody) body_end = pos;
    if (node->type() == NodeType::kLabel) {
      labels[node->as<asmjit::LabelNode>()->labelId()] = {pos, region};
    }
    ForEachJumpTarget(node, [&](uint32_t label) { jumps.push_back({pos, region, label}); });
    RewriteVirtRegs(node, [&](uint32_t id) {
      uses.push_back({pos, region, Operand::virtIdToIndex(id)});
      return id;
    });
    if (region != kBody && node == deferred[region].last) region = kBody;
    if (node == last) break;
  }
  uint32_t num_positions = pos + 1;

  // Pass 2: each deferred region sits at the positions of the jumps into it. Its jumps come
  // from the body or from earlier regions (a closure defers more only while it runs); anything
  // else, and a region nothing jumps to, is taken as spanning the whole body (conservative).
  std::vector<Span> spans(deferred.size());
  auto source_span = [&](uint32_t src_region, uint32_t src_pos, uint32_t upto) -> Span {
    if (src_region == kBody) return {src_pos, src_pos};
    if (src_region < upto && !spans[src_region].empty()) return spans[src_region];
    return {0, body_end};
  };
  {
    std::vector<std::vector<uint32_t>> into(deferred.size());  // jumps by target region
    for (uint32_t j = 0; j < jumps.size(); ++j) {
      auto it = labels.find(jumps[j].label);
      if (it != labels.end() && it->second.region != kBody &&
          it->second.region != jumps[j].region) {
        into[it->second.region].push_back(j);
      }
    }
    for (uint32_t r = 0; r < deferred.size(); ++r) {
      for (uint32_t j : into[r]) {
        Span s = source_span(jumps[j].region, jumps[j].pos, r);
        spans[r].Add(s.lo, s.hi);
      }
      if (spans[r].empty()) spans[r] = {0, body_end};
    }
  }
  auto span_of = [&](uint32_t r, uint32_t p) -> Span { return r == kBody ? Span{p, p} : spans[r]; };

  // Pass 3: an interval per virtual register. The FuncNode's arguments and stack areas keep
  // their own registers.
  if (uses.empty()) return {};
  uint32_t min_index = UINT32_MAX, max_index = 0;
  for (const Use& u : uses) {
    min_index = std::min(min_index, u.vindex);
    max_index = std::max(max_index, u.vindex);
  }
  uint32_t count = max_index - min_index + 1;
  std::vector<Span> intervals(count);
  std::vector<bool> fixed(count, false);
  for (const Use& u : uses) {
    Span s = span_of(u.region, u.pos);
    intervals[u.vindex - min_index].Add(s.lo, s.hi);
  }
  for (uint32_t a = 0; a < func->argCount(); ++a) {
    for (uint32_t v = 0; v < asmjit::Globals::kMaxValuePack; ++v) {
      const asmjit::RegOnly& arg = func->argPack(a)[v];
      if (!arg.isReg() || !Operand::isVirtId(arg.id())) continue;
      uint32_t index = Operand::virtIdToIndex(arg.id());
      if (index >= min_index && index <= max_index) fixed[index - min_index] = true;
    }
  }
  for (uint32_t i = 0; i < count; ++i) {
    if (!intervals[i].empty() && cc.virtRegByIndex(min_index + i)->isStack()) fixed[i] = true;
  }

  // Pass 4: a value live into a loop header is live until the loop's last back edge.
  MaxTree back_edges(num_positions);
  bool any_back_edge = false;
  for (const Jump& j : jumps) {
    auto it = labels.find(j.label);
    if (it == labels.end()) continue;  // a label outside the function: not a loop
    uint32_t target = it->second.region == kBody ? it->second.pos : spans[it->second.region].lo;
    uint32_t source = span_of(j.region, j.pos).hi;
    if (target <= source) {
      back_edges.Raise(target, source);
      any_back_edge = true;
    }
  }
  if (any_back_edge) {
    for (Span& s : intervals) {
      if (s.empty()) continue;
      for (;;) {
        uint32_t reach = s.lo + 1 <= s.hi ? back_edges.Max(s.lo + 1, s.hi) : 0;
        if (reach <= s.hi) break;
        s.hi = reach;
      }
    }
  }

  // Pass 5: greedy colouring by start among registers of the same kind; a colour is the id of
  // the first register that got it.
  std::vector<uint32_t> order;
  for (uint32_t i = 0; i < count; ++i) {
    if (!intervals[i].empty() && !fixed[i]) order.push_back(i);
  }
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return intervals[a].lo < intervals[b].lo; });
  auto kind_of = [&](uint32_t i) {
    const asmjit::VirtReg* vreg = cc.virtRegByIndex(min_index + i);
    return (uint64_t{vreg->signature().bits()} << 32) | (uint64_t(vreg->typeId()) << 16) |
           vreg->virtSize();
  };
  struct Active {
    uint32_t end;
    uint32_t color;  // virtual id
    uint64_t kind;
    bool operator>(const Active& o) const { return end > o.end; }
  };
  std::priority_queue<Active, std::vector<Active>, std::greater<>> active;
  std::unordered_map<uint64_t, std::vector<uint32_t>> free_colors;
  std::vector<uint32_t> renamed(count, 0);  // new virtual id, 0 = unchanged
  CompactionStats stats;
  for (uint32_t i = 0; i < count; ++i) stats.virt_regs_before += !intervals[i].empty();
  stats.virt_regs_after = stats.virt_regs_before - static_cast<uint32_t>(order.size());
  for (uint32_t i : order) {
    while (!active.empty() && active.top().end < intervals[i].lo) {
      free_colors[active.top().kind].push_back(active.top().color);
      active.pop();
    }
    uint64_t kind = kind_of(i);
    std::vector<uint32_t>& free = free_colors[kind];
    uint32_t color;
    if (free.empty()) {
      color = Operand::indexToVirtId(min_index + i);
      ++stats.virt_regs_after;
    } else {
      color = free.back();
      free.pop_back();
    }
    renamed[i] = color;
    active.push({intervals[i].hi, color, kind});
  }

  // Pass 6: rename.
  for (BaseNode* node = func;; node = node->next()) {
    RewriteVirtRegs(node, [&](uint32_t id) {
      uint32_t index = Operand::virtIdToIndex(id);
      if (index < min_index || index > max_index) return id;
      uint32_t to = renamed[index - min_index];
      return to != 0 ? to : id;
    });
    if (node == last) break;
  }
  return stats;
}

}  // namespace wasmgrind::jit
