// GuestMemory: bounds-checked access to a guest's linear memory for one WASI call.
//
// Invariant: every byte the WASI layer reads or writes on the guest's behalf goes through
// here, and every range is checked against the memory's current size with overflow-safe
// arithmetic first; a range that does not fit is Errno::Fault, never a host access. A
// GuestMemory is a snapshot of (base, size) taken at the start of a call: memory.grow cannot
// run while a host function runs, and the base of a LinearMemory never moves.
//
// Under --memcheck the memory has an observer (vm/guest_memory_observer.h): every range in
// bounds is then also shown to it, named by the call and the witx parameter ("fd_write",
// "buf"), as a read (what the host reads: buffers written out, iovec arrays, paths,
// subscriptions) or a write (what it fills: results, buffers read into), and what the host
// wrote is reported written (OnHostWrote) once it is. `param` may be empty only in tests.
#pragma once

#include <sys/uio.h>

#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

#include "vm/guest_memory_observer.h"
#include "wasi_errno.h"
#include "wasi_types.h"

namespace wasmgrind::wasi {

class GuestMemory {
 public:
  using Access = GuestMemoryObserver::Access;

  GuestMemory(uint8_t* base, uint64_t size_bytes, GuestMemoryObserver* observer = nullptr)
      : base_(base), size_(size_bytes), observer_(observer) {}

  // The WASI function this view serves, for the observer's reports (WasiContext::Memory).
  void set_call(std::string_view call) { call_ = call; }

  uint64_t size() const { return size_; }
  bool InBounds(uint64_t ptr, uint64_t len) const { return len <= size_ && ptr <= size_ - len; }

  // The guest range [ptr, ptr + len) as host bytes, for the host to fill (random_get,
  // readlink, readdir): observed as a write. Call Wrote for what was filled.
  ErrnoOr<std::span<uint8_t>> Bytes(uint64_t ptr, uint64_t len, std::string_view param = {}) const {
    if (!InBounds(ptr, len)) return Errno::Fault;
    Observe(Access::Write, ptr, len, param);
    return std::span<uint8_t>(base_ + ptr, len);
  }
  // A string the host reads (a path).
  ErrnoOr<std::string_view> String(uint64_t ptr, uint64_t len, std::string_view param = {}) const {
    if (!InBounds(ptr, len)) return Errno::Fault;
    Observe(Access::Read, ptr, len, param);
    return std::string_view(reinterpret_cast<const char*>(base_ + ptr), len);
  }

  template <typename T>
  ErrnoOr<T> Read(uint64_t ptr, std::string_view param = {}) const {
    static_assert(std::is_trivially_copyable_v<T>);
    if (!InBounds(ptr, sizeof(T))) return Errno::Fault;
    Observe(Access::Read, ptr, sizeof(T), param);
    T value;
    std::memcpy(&value, base_ + ptr, sizeof(T));
    return value;
  }
  template <typename T>
  Errno Write(uint64_t ptr, const T& value, std::string_view param = {}) const {
    static_assert(std::is_trivially_copyable_v<T>);
    if (!InBounds(ptr, sizeof(T))) return Errno::Fault;
    Observe(Access::Write, ptr, sizeof(T), param);
    std::memcpy(base_ + ptr, &value, sizeof(T));
    Wrote(ptr, sizeof(T));
    return Errno::Success;
  }
  Errno WriteBytes(uint64_t ptr, std::span<const uint8_t> bytes, std::string_view param = {}) const;
  Errno WriteString(uint64_t ptr, std::string_view s, std::string_view param = {}) const {
    return WriteBytes(ptr, {reinterpret_cast<const uint8_t*>(s.data()), s.size()}, param);
  }

  // Reads `count` (c)iovecs at `iovs_ptr` (param "iovs") and checks every buffer they name
  // (param "buf"), which the host then reads (fd_write) or writes (fd_read). At most
  // kMaxIovecs are returned (a shorter transfer is always allowed by read/write semantics).
  static constexpr uint32_t kMaxIovecs = 1024;
  ErrnoOr<std::vector<iovec>> IoVecs(uint64_t iovs_ptr, uint32_t count,
                                     Access buffers = Access::Read) const;

  // The host filled [ptr, ptr + len) of a buffer it got from Bytes, or the first `n` bytes
  // of the buffers of IoVecs(..., Access::Write).
  void Wrote(uint64_t ptr, uint64_t len) const {
    if (observer_ != nullptr && len != 0) observer_->OnHostWrote(ptr, len);
  }
  void WroteIoVecs(const std::vector<iovec>& vecs, uint64_t n) const;

 private:
  void Observe(Access access, uint64_t ptr, uint64_t len, std::string_view param) const {
    if (observer_ != nullptr && len != 0) observer_->OnHostAccess(access, ptr, len, call_, param);
  }

  uint8_t* base_;
  uint64_t size_;
  GuestMemoryObserver* observer_;
  std::string_view call_;
};

}  // namespace wasmgrind::wasi
