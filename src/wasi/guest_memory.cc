// GuestMemory: the out-of-line accessors (iovec translation, byte copies).
#include "guest_memory.h"

#include <algorithm>

namespace wasmgrind::wasi {

Errno GuestMemory::WriteBytes(uint64_t ptr, std::span<const uint8_t> bytes) const {
  if (!InBounds(ptr, bytes.size())) return Errno::Fault;
  if (!bytes.empty()) std::memcpy(base_ + ptr, bytes.data(), bytes.size());
  return Errno::Success;
}

ErrnoOr<std::vector<iovec>> GuestMemory::IoVecs(uint64_t iovs_ptr, uint32_t count) const {
  // The whole array must be in bounds even if we only use a prefix of it.
  if (!InBounds(iovs_ptr, uint64_t{count} * sizeof(WasiIovec))) return Errno::Fault;
  uint32_t used = std::min(count, kMaxIovecs);
  std::vector<iovec> out;
  out.reserve(used);
  for (uint32_t i = 0; i < used; ++i) {
    WASI_TRY_ASSIGN(WasiIovec guest, Read<WasiIovec>(iovs_ptr + uint64_t{i} * sizeof(WasiIovec)));
    WASI_TRY_ASSIGN(std::span<uint8_t> bytes, Bytes(guest.buf, guest.buf_len));
    out.push_back(iovec{bytes.data(), bytes.size()});
  }
  return out;
}

}  // namespace wasmgrind::wasi
