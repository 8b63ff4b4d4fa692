// FaultRegistry implementation: the set of JIT code ranges, readable from a signal handler.
//
// Writers (Register/Unregister) serialize on a mutex and keep the authoritative set in a
// Boost ICL interval_map (address interval -> begin addresses of the registrations covering
// it). After each change they build an immutable, sorted flat array and publish it through
// an atomic pointer. The handler only loads that pointer and binary-searches the array: no
// lock, no allocation. A replaced snapshot may still be read by a handler running on another
// thread, so snapshots are retired, never freed (they are a few bytes per code range and code
// ranges change only when modules are compiled or freed).
//
// Linear-memory reservations live in a second registry of the same shape (memory_registry.h),
// which also reclaims old snapshots because memories come and go far more often than code.
#include "signals/fault_registry.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <vector>

#include <boost/icl/interval_map.hpp>

namespace wasmgrind::signals {
namespace {

struct Snapshot {
  std::vector<CodeRange> ranges;  // sorted by begin, non-overlapping
};

// The published snapshot. Constant-initialized, so the handler never runs an initializer.
constinit std::atomic<const Snapshot*> g_current{nullptr};

class Registry {
 public:
  void Register(CodeRange range) {
    if (range.end <= range.begin) return;
    std::lock_guard lock(mutex_);
    records_[range.begin] = range;
    intervals_ += std::make_pair(Interval::right_open(range.begin, range.end),
                                 std::set<uintptr_t>{range.begin});
    Publish();
  }

  void Unregister(uintptr_t begin) {
    std::lock_guard lock(mutex_);
    auto it = records_.find(begin);
    if (it == records_.end()) return;
    intervals_ -= std::make_pair(Interval::right_open(it->second.begin, it->second.end),
                                 std::set<uintptr_t>{begin});
    records_.erase(it);
    Publish();
  }

 private:
  using Interval = boost::icl::interval<uintptr_t>::interval_type;

  // Caller holds mutex_. One flat entry per maximal ICL segment; where registrations overlap
  // (they should not) the lowest-addressed registration is reported as the owner.
  void Publish() {
    auto* snap = new Snapshot;
    for (const auto& [interval, begins] : intervals_) {
      const CodeRange& owner = records_.at(*begins.begin());
      snap->ranges.push_back(CodeRange{interval.lower(), interval.upper(), owner.owner});
    }
    retired_.push_back(snap);  // never freed: see the file comment
    g_current.store(snap, std::memory_order_release);
  }

  std::mutex mutex_;
  std::map<uintptr_t, CodeRange> records_;
  boost::icl::interval_map<uintptr_t, std::set<uintptr_t>> intervals_;
  std::vector<const Snapshot*> retired_;
};

// Leaked on purpose: handlers on other threads may consult it during static destruction.
Registry& TheRegistry() {
  static Registry* registry = new Registry;
  return *registry;
}

}  // namespace

void RegisterCodeRange(CodeRange range) { TheRegistry().Register(range); }
void UnregisterCodeRange(uintptr_t begin) { TheRegistry().Unregister(begin); }
const CodeRange* FindCodeRange(uintptr_t pc) {
  const Snapshot* snap = g_current.load(std::memory_order_acquire);
  if (snap == nullptr) return nullptr;
  const CodeRange* r = snap->ranges.data();
  // Last range with begin <= pc; hand-written so the handler runs only trivial code.
  size_t lo = 0, hi = snap->ranges.size();
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (r[mid].begin <= pc) lo = mid + 1; else hi = mid;
  }
  if (lo == 0) return nullptr;
  return pc < r[lo - 1].end ? &r[lo - 1] : nullptr;
}

}  // namespace wasmgrind::signals
