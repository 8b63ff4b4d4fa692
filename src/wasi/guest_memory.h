// GuestMemory: bounds-checked access to a guest's linear memory for one WASI call.
//
// Invariant: every byte the WASI layer reads or writes on the guest's behalf goes through
// here, and every range is checked against the memory's current size with overflow-safe
// arithmetic first; a range that does not fit is Errno::Fault, never a host access. A
// GuestMemory is a snapshot of (base, size) taken at the start of a call: memory.grow cannot
// run while a host function runs, and the base of a LinearMemory never moves.
//
// Later, memcheck will hook Write*/Bytes-for-writing here to mark the bytes defined.
#pragma once

#include <sys/uio.h>

#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

#include "wasi_errno.h"
#include "wasi_types.h"

namespace wasmgrind::wasi {

class GuestMemory {
 public:
  GuestMemory(uint8_t* base, uint64_t size_bytes) : base_(base), size_(size_bytes) {}

  uint64_t size() const { return size_; }
  bool InBounds(uint64_t ptr, uint64_t len) const { return len <= size_ && ptr <= size_ - len; }

  // The guest range [ptr, ptr + len) as host bytes.
  ErrnoOr<std::span<uint8_t>> Bytes(uint64_t ptr, uint64_t len) const {
    if (!InBounds(ptr, len)) return Errno::Fault;
    return std::span<uint8_t>(base_ + ptr, len);
  }
  ErrnoOr<std::string_view> String(uint64_t ptr, uint64_t len) const {
    if (!InBounds(ptr, len)) return Errno::Fault;
    return std::string_view(reinterpret_cast<const char*>(base_ + ptr), len);
  }

  template <typename T>
  ErrnoOr<T> Read(uint64_t ptr) const {
    static_assert(std::is_trivially_copyable_v<T>);
    if (!InBounds(ptr, sizeof(T))) return Errno::Fault;
    T value;
    std::memcpy(&value, base_ + ptr, sizeof(T));
    return value;
  }
  template <typename T>
  Errno Write(uint64_t ptr, const T& value) const {
    static_assert(std::is_trivially_copyable_v<T>);
    if (!InBounds(ptr, sizeof(T))) return Errno::Fault;
    std::memcpy(base_ + ptr, &value, sizeof(T));
    return Errno::Success;
  }
  Errno WriteBytes(uint64_t ptr, std::span<const uint8_t> bytes) const;
  Errno WriteString(uint64_t ptr, std::string_view s) const {
    return WriteBytes(ptr, {reinterpret_cast<const uint8_t*>(s.data()), s.size()});
  }

  // Reads `count` (c)iovecs at `iovs_ptr` and checks every buffer they name. At most
  // kMaxIovecs are returned (a shorter transfer is always allowed by read/write semantics).
  static constexpr uint32_t kMaxIovecs = 1024;
  ErrnoOr<std::vector<iovec>> IoVecs(uint64_t iovs_ptr, uint32_t count) const;

 private:
  uint8_t* base_;
  uint64_t size_;
};

}  // namespace wasmgrind::wasi
