// GuestMemory: the out-of-line accessors (iovec translation, byte copies).
#include "guest_memory.h"

#include <algorithm>

namespace wasmgrind::wasi {

Errno GuestMemory::WriteBytes(uint64_t ptr, std::span<const uint8_t> bytes,
                              std::string_view param) const {
  if (!InBounds(ptr, bytes.size())) return Errno::Fault;
  Observe(Access::Write, ptr, bytes.size(), param);
  if (!bytes.empty()) std::memcpy(base_ + ptr, bytes.data(), bytes.size());
  Wrote(ptr, bytes.size());
  return Errno::Success;
}

ErrnoOr<std::vector<iovec>> GuestMemory::IoVecs(uint64_t iovs_ptr, uint32_t count,
                                                Access buffers) const {
  // The whole array must be in bounds even if we only use a prefix of it.
  if (!InBounds(iovs_ptr, uint64_t{count} * sizeof(WasiIovec))) return Errno::Fault;
  uint32_t used = std::min(count, kMaxIovecs);
  // The array is read before any buffer it names, as the kernel reads a struct iovec array.
  Observe(Access::Read, iovs_ptr, uint64_t{used} * sizeof(WasiIovec), "iovs");
  std::vector<iovec> out;
  out.reserve(used);
  for (uint32_t i = 0; i < used; ++i) {
    WasiIovec guest;
    std::memcpy(&guest, base_ + iovs_ptr + uint64_t{i} * sizeof(WasiIovec), sizeof guest);
    if (!InBounds(guest.buf, guest.buf_len)) return Errno::Fault;
    Observe(buffers, guest.buf, guest.buf_len, "buf");
    out.push_back(iovec{base_ + guest.buf, guest.buf_len});
  }
  return out;
}

void GuestMemory::WroteIoVecs(const std::vector<iovec>& vecs, uint64_t n) const {
  if (observer_ == nullptr) return;
  for (const iovec& v : vecs) {
    if (n == 0) break;
    uint64_t len = std::min<uint64_t>(n, v.iov_len);
    Wrote(static_cast<uint64_t>(static_cast<uint8_t*>(v.iov_base) - base_), len);
    n -= len;
  }
}

}  // namespace wasmgrind::wasi
