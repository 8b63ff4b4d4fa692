// MemoryRegistry implementation (see memory_registry.h).
//
// The authoritative set is a Boost ICL interval_map (address interval -> begin addresses of the
// registrations covering it) kept under a mutex. Each change publishes a sorted flat array
// through an atomic pointer. Unlike code ranges, memories come and go with every Store, so old
// snapshots are reclaimed: the handler brackets its read with a reader count, and a writer
// frees retired snapshots only when, after publishing, it sees no reader (sequentially
// consistent atomics: a reader that raised the count before the writer looked may hold an old
// snapshot and blocks the reclamation; one that raised it later can only load the new one).
#include "signals/memory_registry.h"

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <vector>

#include <boost/icl/interval_map.hpp>

namespace wasmgrind::signals {
namespace {

struct Segment {
  uintptr_t lower = 0;  // one maximal ICL segment [lower, upper)
  uintptr_t upper = 0;
  MemoryRange range;    // the registration that owns it (unchanged: begin is the base)
};

struct Snapshot {
  std::vector<Segment> segments;  // sorted by lower, non-overlapping
};

constinit std::atomic<const Snapshot*> g_current{nullptr};
constinit std::atomic<int> g_readers{0};

class Registry {
 public:
  void Register(MemoryRange range) {
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

  // Caller holds mutex_.
  void Publish() {
    auto* snap = new Snapshot;
    for (const auto& [interval, begins] : intervals_) {
      snap->segments.push_back(Segment{interval.lower(), interval.upper(),
                                       records_.at(*begins.begin())});
    }
    const Snapshot* old = g_current.exchange(snap);
    if (old != nullptr) retired_.push_back(old);
    if (g_readers.load() == 0) {
      for (const Snapshot* s : retired_) delete s;
      retired_.clear();
    }
  }

  std::mutex mutex_;
  std::map<uintptr_t, MemoryRange> records_;
  boost::icl::interval_map<uintptr_t, std::set<uintptr_t>> intervals_;
  std::vector<const Snapshot*> retired_;
};

// Leaked on purpose: handlers on other threads may consult it during static destruction.
Registry& TheRegistry() {
  static Registry* registry = new Registry;
  return *registry;
}

}  // namespace

void RegisterMemoryRange(MemoryRange range) { TheRegistry().Register(range); }
void UnregisterMemoryRange(uintptr_t begin) { TheRegistry().Unregister(begin); }

bool FindMemoryRange(uintptr_t address, MemoryRange* out, uint64_t* length) {
  g_readers.fetch_add(1);
  bool found = false;
  if (const Snapshot* snap = g_current.load()) {
    const Segment* s = snap->segments.data();
    size_t lo = 0, hi = snap->segments.size();
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (s[mid].lower <= address) lo = mid + 1; else hi = mid;
    }
    if (lo > 0 && address < s[lo - 1].upper) {
      *out = s[lo - 1].range;
      *length = out->current_length != nullptr ? *out->current_length : 0;
      found = true;
    }
  }
  g_readers.fetch_sub(1);
  return found;
}

}  // namespace wasmgrind::signals
