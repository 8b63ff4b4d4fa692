// RangeRegistry<Range>: a set of host address ranges that a signal handler can search.
// The code registry (fault_registry.h) and the linear-memory registry (memory_registry.h) are
// both one of these.
//
// Writers (Register/Unregister) serialize on a mutex and keep the authoritative set in a Boost
// ICL interval_map (address interval -> begin addresses of the registrations covering it).
// After each change they build an immutable, sorted flat array of segments and publish it
// through an atomic pointer. Find only brackets its read with a reader count, loads that
// pointer and binary-searches the array: no lock, no allocation, async-signal-safe.
//
// Reclamation: a writer frees replaced snapshots only when, after publishing, it sees no
// reader. With sequentially consistent atomics a reader that raised the count before the writer
// looked may hold an old snapshot and blocks reclamation; one that raised it later can only
// load the new snapshot. Find copies its answer out, so no pointer into a snapshot escapes.
//
// `Range` needs `uintptr_t begin, end` (end exclusive); a registration is keyed by `begin`.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <vector>

#include <boost/icl/interval_map.hpp>

namespace wasmgrind::signals {

template <typename Range>
class RangeRegistry {
 public:
  void Register(const Range& range) {
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

  // Async-signal-safe: copies the registration whose range holds `address` into `out`
  // (if non-null). Where registrations overlap (they should not) the lowest-addressed wins.
  bool Find(uintptr_t address, Range* out) const {
    readers_.fetch_add(1);
    bool found = false;
    if (const Snapshot* snap = current_.load()) {
      const Segment* s = snap->segments.data();
      size_t lo = 0, hi = snap->segments.size();
      // Last segment with lower <= address; hand-written so the handler runs trivial code.
      while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s[mid].lower <= address)
          lo = mid + 1;
        else
          hi = mid;
      }
      if (lo > 0 && address < s[lo - 1].upper) {
        if (out != nullptr) *out = s[lo - 1].range;
        found = true;
      }
    }
    readers_.fetch_sub(1);
    return found;
  }

 private:
  using Interval = typename boost::icl::interval<uintptr_t>::interval_type;

  struct Segment {
    uintptr_t lower = 0;  // one maximal ICL segment [lower, upper)
    uintptr_t upper = 0;
    Range range;  // the registration that owns it, unchanged
  };
  struct Snapshot {
    std::vector<Segment> segments;  // sorted by lower, non-overlapping
  };

  // Caller holds mutex_.
  void Publish() {
    auto* snap = new Snapshot;
    for (const auto& [interval, begins] : intervals_) {
      snap->segments.push_back(
          Segment{interval.lower(), interval.upper(), records_.at(*begins.begin())});
    }
    const Snapshot* old = current_.exchange(snap);
    if (old != nullptr) retired_.push_back(old);
    if (readers_.load() == 0) {
      for (const Snapshot* s : retired_) delete s;
      retired_.clear();
    }
  }

  std::mutex mutex_;
  std::map<uintptr_t, Range> records_;
  boost::icl::interval_map<uintptr_t, std::set<uintptr_t>> intervals_;
  std::vector<const Snapshot*> retired_;
  std::atomic<const Snapshot*> current_{nullptr};
  mutable std::atomic<int> readers_{0};
};

}  // namespace wasmgrind::signals
