// OriginStore: origin tags per 4-byte granule and the origins they name (see origin_store.h).
#include "memcheck/origin_store.h"

#include <sys/mman.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "memcheck/shadow_memory.h"

namespace wasmgrind::memcheck {

namespace {
constexpr uint64_t kGranules = kMaxShadowedBytes / OriginStore::kGranule;
constexpr uint64_t kReservationBytes = kGranules * sizeof(uint32_t);
}  // namespace

const char* OriginPhrase(OriginKind kind) {
  switch (kind) {
    case OriginKind::Heap: return "Uninitialised value was created by a heap allocation";
    case OriginKind::Stack: return "Uninitialised value was created by a stack allocation";
    case OriginKind::ClientRequest: return "Uninitialised value was created by a client request";
    case OriginKind::Unknown: break;
  }
  return "Uninitialised value was created";
}

Expected<OriginStore> OriginStore::Create() {
  // Readable and writable up front but never committed: untouched pages read as zero (no
  // origin) and cost nothing, so only what --track-origins paints becomes memory.
  void* p = mmap(nullptr, kReservationBytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    return Fail(std::string("memcheck: cannot reserve the origin tags: ") + strerror(errno));
  }
  return OriginStore(static_cast<uint32_t*>(p));
}

OriginStore::OriginStore(uint32_t* tags) : tags_(tags) {}

OriginStore::OriginStore(OriginStore&& other) noexcept
    : tags_(std::exchange(other.tags_, nullptr)),
      origins_(std::move(other.origins_)),
      ids_(std::move(other.ids_)),
      last_key_(other.last_key_),
      last_id_(std::exchange(other.last_id_, 0)) {}

OriginStore& OriginStore::operator=(OriginStore&& other) noexcept {
  if (this != &other) {
    Release();
    tags_ = std::exchange(other.tags_, nullptr);
    origins_ = std::move(other.origins_);
    ids_ = std::move(other.ids_);
    last_key_ = other.last_key_;
    last_id_ = std::exchange(other.last_id_, 0);
  }
  return *this;
}

OriginStore::~OriginStore() { Release(); }

void OriginStore::Release() {
  if (tags_ != nullptr) munmap(tags_, kReservationBytes);
  tags_ = nullptr;
}

uint32_t OriginStore::Intern(const Origin& origin) {
  uint64_t key = uint64_t{static_cast<uint8_t>(origin.kind)} << 32 | origin.stack;
  // A loop allocates from one site, a function moves the stack pointer from one: most calls
  // repeat the one before.
  if (last_id_ != 0 && key == last_key_) return last_id_;
  auto [it, is_new] = ids_.try_emplace(key, static_cast<uint32_t>(origins_.size()));
  if (is_new) origins_.push_back(origin);
  last_key_ = key;
  last_id_ = it->second;
  return it->second;
}

void OriginStore::Paint(uint64_t address, uint64_t length, uint32_t id) {
  if (length == 0 || address >= kMaxShadowedBytes) return;
  uint64_t first = address / kGranule;
  uint64_t end = std::min(
      kGranules, (std::min(address + length, kMaxShadowedBytes) + kGranule - 1) / kGranule);
  std::fill(tags_ + first, tags_ + end, id);
}

uint32_t OriginStore::At(uint64_t address) const {
  return address < kMaxShadowedBytes ? tags_[address / kGranule] : 0;
}

void OriginStore::Copy(uint64_t dst, uint64_t src, uint64_t length) {
  if (length == 0 || dst >= kMaxShadowedBytes || src >= kMaxShadowedBytes) return;
  length = std::min({length, kMaxShadowedBytes - dst, kMaxShadowedBytes - src});
  if ((dst - src) % kGranule == 0) {
    uint64_t first = src / kGranule;
    uint64_t end = (src + length + kGranule - 1) / kGranule;
    std::memmove(tags_ + dst / kGranule, tags_ + first, (end - first) * sizeof(uint32_t));
    return;
  }
  // Misaligned copies move tags byte by byte, in memmove's direction.
  if (dst < src) {
    for (uint64_t i = 0; i < length; ++i) tags_[(dst + i) / kGranule] = At(src + i);
  } else {
    for (uint64_t i = length; i-- > 0;) tags_[(dst + i) / kGranule] = At(src + i);
  }
}

}  // namespace wasmgrind::memcheck
