// OriginStore: where undefined bytes came from, for --track-origins=yes. Valgrind keeps an
// "origin tag" per 32-bit word of memory; so do we: one 32-bit origin id per 4-byte granule
// of memory 0, in a reservation of its own (a quarter of the memory's maximum size, touched
// pages only become memory), so reading or painting a tag is an indexed access with no
// lookup. An id names an Origin: what made the bytes undefined (a heap or stack allocation, a
// client request) and the backtrace where it happened; equal origins share an id.
//
// Exists only under --track-origins=yes: without it nothing is reserved or painted. A tag says
// nothing about definedness (the shadow does): it is read only for bytes the shadow says are
// undefined, so painting Defined bytes never has to clear it.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "memcheck/backtrace.h"
#include "memcheck/expected.h"

namespace wasmgrind::memcheck {

// Valgrind's origin kinds (MC_OKIND_*): "Uninitialised value was created by a heap
// allocation", "... by a stack allocation", "... by a client request", or only "... created"
// (memory.grow outside the allocator: Valgrind's brk).
enum class OriginKind : uint8_t { Unknown, Heap, Stack, ClientRequest };

struct Origin {
  OriginKind kind = OriginKind::Unknown;
  BacktraceId stack = kNoBacktrace;
  bool operator==(const Origin&) const = default;
};

// "Uninitialised value was created by a heap allocation": the auxiliary line of a report.
const char* OriginPhrase(OriginKind kind);

class OriginStore {
 public:
  static constexpr uint64_t kGranule = 4;

  static Expected<OriginStore> Create();
  OriginStore(OriginStore&& other) noexcept;
  OriginStore& operator=(OriginStore&& other) noexcept;
  OriginStore(const OriginStore&) = delete;
  OriginStore& operator=(const OriginStore&) = delete;
  ~OriginStore();

  // Ids start at 1; 0 means "no origin".
  uint32_t Intern(const Origin& origin);
  const Origin& Get(uint32_t id) const { return origins_[id]; }

  // Tags every granule [address, address + length) touches with `id` (clipped to wasm32's
  // largest memory).
  void Paint(uint64_t address, uint64_t length, uint32_t id);
  // The tag of the granule holding `address` (0 past the largest memory).
  uint32_t At(uint64_t address) const;
  // [src, src + length)'s tags onto dst's granules (memcpy, realloc's copy).
  void Copy(uint64_t dst, uint64_t src, uint64_t length);

 private:
  explicit OriginStore(uint32_t* tags);
  void Release();

  uint32_t* tags_ = nullptr;  // one per granule of the largest memory
  std::vector<Origin> origins_{Origin{}};
  std::unordered_map<uint64_t, uint32_t> ids_;  // kind << 32 | stack -> id
  uint64_t last_key_ = 0;                       // Intern's last answer (last_id_ 0: none yet)
  uint32_t last_id_ = 0;
};

}  // namespace wasmgrind::memcheck
