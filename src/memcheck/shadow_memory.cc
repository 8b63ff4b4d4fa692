// ShadowMemory: reservation, commit on growth, painting and scanning (see shadow_memory.h).
#include "memcheck/shadow_memory.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

namespace wasmgrind::memcheck {

namespace {

uint64_t PageSize() {
  static const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  return page;
}

uint64_t RoundUpToPage(uint64_t n) { return (n + PageSize() - 1) & ~(PageSize() - 1); }

}  // namespace

const char* ShadowStateName(ShadowState s) {
  switch (s) {
    case ShadowState::Defined: return "defined memory";
    case ShadowState::Undefined: return "undefined memory";
    case ShadowState::PartlyDefined: return "partly defined memory";
    case ShadowState::HeapRedzone: return "a heap block's redzone";
    case ShadowState::HeapFreed: return "freed heap memory";
    case ShadowState::HeapUnallocated: return "unallocated heap memory";
    case ShadowState::BelowStackPointer: return "stack memory below the stack pointer";
    case ShadowState::NoAccess: return "memory marked inaccessible";
    case ShadowState::OutsideMemory: return "outside linear memory";
  }
  return "memory in an unknown shadow state";
}

Expected<ShadowMemory> ShadowMemory::Create(uint64_t initial_size, ShadowState fill) {
  if (initial_size > kMaxShadowedBytes) {
    return Fail("memcheck: a memory of " + std::to_string(initial_size) +
                " bytes is larger than wasm32 allows");
  }
  void* p = mmap(nullptr, kShadowReservationBytes, PROT_NONE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    return Fail(std::string("memcheck: cannot reserve the shadow memory: ") + strerror(errno));
  }
  ShadowMemory shadow(static_cast<uint8_t*>(p), 0);
  auto grown = shadow.Grow(initial_size, fill);
  if (!grown) return Fail(grown.error());
  return shadow;
}

ShadowMemory::ShadowMemory(ShadowMemory&& other) noexcept
    : base_(std::exchange(other.base_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      committed_(std::exchange(other.committed_, 0)) {}

ShadowMemory& ShadowMemory::operator=(ShadowMemory&& other) noexcept {
  if (this != &other) {
    Release();
    base_ = std::exchange(other.base_, nullptr);
    size_ = std::exchange(other.size_, 0);
    committed_ = std::exchange(other.committed_, 0);
  }
  return *this;
}

ShadowMemory::~ShadowMemory() { Release(); }

void ShadowMemory::Release() {
  if (base_ != nullptr) munmap(base_, kShadowReservationBytes);
  base_ = nullptr;
  size_ = committed_ = 0;
}

Expected<void> ShadowMemory::Grow(uint64_t new_size, ShadowState fill) {
  if (new_size > kMaxShadowedBytes) {
    return Fail("memcheck: cannot shadow a memory of " + std::to_string(new_size) + " bytes");
  }
  if (new_size <= size_) return {};
  uint64_t want = RoundUpToPage(new_size);
  if (want > committed_) {
    if (mprotect(base_ + committed_, want - committed_, PROT_READ | PROT_WRITE) != 0) {
      return Fail(std::string("memcheck: cannot commit shadow memory: ") + strerror(errno));
    }
    committed_ = want;
  }
  uint64_t old_size = size_;
  size_ = new_size;
  // Freshly committed pages read as 0 (Defined); bytes between old_size and the old commit
  // were never painted (SetRange clips to size_) and are 0 too.
  if (fill != ShadowState::Defined) SetRange(old_size, new_size - old_size, fill);
  return {};
}

bool ShadowMemory::SetRange(uint64_t address, uint64_t length, ShadowState state) {
  if (address >= size_) return length == 0 && address == size_;
  uint64_t end = std::min(size_, address + std::min(length, kShadowReservationBytes));
  memset(base_ + address, ToByte(state), end - address);
  return end - address == length;
}

bool ShadowMemory::CopyRange(uint64_t dst, uint64_t src, uint64_t length) {
  if (dst > size_ || src > size_ || length > size_ - dst || length > size_ - src) return false;
  memmove(base_ + dst, base_ + src, length);
  return true;
}

ShadowState ShadowMemory::Get(uint64_t address) const {
  if (address >= size_) return ShadowState::OutsideMemory;
  return static_cast<ShadowState>(base_[address]);
}

template <typename IsBad>
std::optional<BadByte> ShadowMemory::FirstMatching(uint64_t address, uint64_t length,
                                                   IsBad is_bad) const {
  uint64_t end = address + length;
  uint64_t in_memory_end = std::min(end, size_);
  uint64_t a = address;
  // Eight bytes at a time while they are all zero: the common case is a clean range.
  while (a + 8 <= in_memory_end) {
    uint64_t word;
    memcpy(&word, base_ + a, 8);
    if (word != 0) break;
    a += 8;
  }
  for (; a < in_memory_end; ++a) {
    auto state = static_cast<ShadowState>(base_[a]);
    if (is_bad(state)) return BadByte{a, state};
  }
  if (end > size_ && length > 0) {
    return BadByte{std::max(address, size_), ShadowState::OutsideMemory};
  }
  return std::nullopt;
}

std::optional<BadByte> ShadowMemory::FirstUnaddressable(uint64_t address, uint64_t length) const {
  return FirstMatching(address, length, [](ShadowState s) { return !IsAddressable(s); });
}

std::optional<BadByte> ShadowMemory::FirstNotDefined(uint64_t address, uint64_t length) const {
  return FirstMatching(address, length, [](ShadowState s) { return !IsDefined(s); });
}

}  // namespace wasmgrind::memcheck
