// ShadowMemory: reservation, commit on growth, painting and scanning (see shadow_memory.h).
#include "memcheck/shadow_memory.h"

#include <emmintrin.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace wasmgrind::memcheck {

namespace {

uint64_t PageSize() {
  static const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  return page;
}

uint64_t RoundUpToPage(uint64_t n) { return (n + PageSize() - 1) & ~(PageSize() - 1); }

// What a scan stops at: an unaddressable state (the top bit, kFirstUnaddressable), a state
// that is not Defined (any bit), or an addressable one (the end of an unaddressable run).
enum class Stop { Unaddressable, NotDefined, Addressable };

__m128i Load16(const uint8_t* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }

// The bytes of 16 that `stop` stops at, as a movemask.
template <Stop stop>
uint32_t StopMask(__m128i v) {
  int m = 0;
  if constexpr (stop == Stop::Unaddressable) m = _mm_movemask_epi8(v);
  if constexpr (stop == Stop::NotDefined) {
    m = ~_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_setzero_si128()));
  }
  if constexpr (stop == Stop::Addressable) m = ~_mm_movemask_epi8(v);
  return static_cast<uint32_t>(m) & 0xffff;
}

template <Stop stop>
bool StopsAt(uint8_t state) {
  if constexpr (stop == Stop::Unaddressable) return state >= kFirstUnaddressable;
  if constexpr (stop == Stop::NotDefined) return state != ToByte(ShadowState::Defined);
  return state < kFirstUnaddressable;
}

uint64_t Load64(const uint8_t* p) {
  uint64_t w;
  memcpy(&w, p, 8);
  return w;
}
uint64_t Load32(const uint8_t* p) {
  uint32_t w;
  memcpy(&w, p, 4);
  return w;
}

// Whether `stop` stops at any byte of words a and b, whose bytes' top bits are `top_bits`.
template <Stop stop>
bool AnyInWords(uint64_t a, uint64_t b, uint64_t top_bits) {
  if constexpr (stop == Stop::Unaddressable) return ((a | b) & top_bits) != 0;
  if constexpr (stop == Stop::NotDefined) return (a | b) != 0;
  return (a & b & top_bits) != top_bits;
}

// Whether any byte of 64 at p is one `stop` stops at: one test for the four vectors.
template <Stop stop>
bool AnyIn64(const uint8_t* p) {
  __m128i a = Load16(p), b = Load16(p + 16), c = Load16(p + 32), d = Load16(p + 48);
  if constexpr (stop == Stop::Addressable) {
    return StopMask<stop>(_mm_and_si128(_mm_and_si128(a, b), _mm_and_si128(c, d))) != 0;
  } else {
    return StopMask<stop>(_mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d))) != 0;
  }
}

// The offset of the first byte of p[0, n) that `stop` stops at, or n. SSE2, 64 bytes a step:
// ranges are mostly clean, and the libc replacements and bulk memory check whole buffers.
// Reads nothing outside p[0, n).
template <Stop stop>
uint64_t ScanFor(const uint8_t* p, uint64_t n) {
  if (n < 16) {
    // Short ranges (most the libc replacements check): two overlapping words say whether
    // there is a stop at all (gathering the bytes into a vector would cost a store-forwarding
    // stall), and only a range with one is walked byte by byte.
    if (n >= 8 && !AnyInWords<stop>(Load64(p), Load64(p + n - 8), 0x8080808080808080)) return n;
    if (n >= 4 && n < 8 && !AnyInWords<stop>(Load32(p), Load32(p + n - 4), 0x80808080)) return n;
    for (uint64_t i = 0; i < n; ++i) {
      if (StopsAt<stop>(p[i])) return i;
    }
    return n;
  }
  uint64_t i = 0;
  while (i + 64 <= n && !AnyIn64<stop>(p + i)) i += 64;
  // Within the next 64 bytes if it stopped there, else in the tail.
  for (; i + 16 <= n; i += 16) {
    if (uint32_t m = StopMask<stop>(Load16(p + i)); m != 0) {
      return i + static_cast<uint64_t>(__builtin_ctz(m));
    }
  }
  if (i < n) {
    // The last 16 bytes, overlapping what was scanned (clean), so the first stop is past i.
    if (uint32_t m = StopMask<stop>(Load16(p + n - 16)); m != 0) {
      return n - 16 + static_cast<uint64_t>(__builtin_ctz(m));
    }
  }
  return n;
}

// The chunks [first, last) that lie whole in [address, address + n).
struct WholeChunks {
  WholeChunks(uint64_t address, uint64_t n)
      : first((address + ShadowSummary::kChunkBytes - 1) / ShadowSummary::kChunkBytes),
        last((address + n) / ShadowSummary::kChunkBytes) {}
  uint64_t first, last;
};

// ScanFor over the shadow of [address, address + n) at `base`, whole chunks through the
// summary: a chunk known to have no stop is skipped, one found to have none is learned.
template <Stop stop>
uint64_t ScanSummarized(const uint8_t* base, ShadowSummary& summary, uint64_t address, uint64_t n) {
  constexpr uint64_t kChunk = ShadowSummary::kChunkBytes;
  if (n < 2 * kChunk) return ScanFor<stop>(base + address, n);
  constexpr uint8_t known =
      stop == Stop::Unaddressable ? ShadowSummary::kAllAddressable : ShadowSummary::kAllDefined;
  constexpr uint8_t learned =
      stop == Stop::Unaddressable ? ShadowSummary::kAllAddressable : ShadowSummary::kBoth;
  const WholeChunks chunks(address, n);
  const uint64_t head = chunks.first * kChunk - address;
  if (uint64_t r = ScanFor<stop>(base + address, head); r < head) return r;
  for (uint64_t c = chunks.first; c < chunks.last; ++c) {
    if ((summary.Known(c) & known) != 0) continue;
    if (uint64_t r = ScanFor<stop>(base + c * kChunk, kChunk); r < kChunk) {
      return c * kChunk + r - address;
    }
    summary.Learned(c, learned);
  }
  const uint64_t tail = chunks.last * kChunk;
  return tail - address + ScanFor<stop>(base + tail, address + n - tail);
}

}  // namespace

uint64_t ShadowMemory::FindUnaddressable(uint64_t address, uint64_t n) const {
  return ScanSummarized<Stop::Unaddressable>(base_, summary_, address, n);
}

uint64_t ShadowMemory::FindNotDefined(uint64_t address, uint64_t n) const {
  return ScanSummarized<Stop::NotDefined>(base_, summary_, address, n);
}

bool ShadowMemory::KnownAllDefined(uint64_t address, uint64_t n) const {
  constexpr uint64_t kChunk = ShadowSummary::kChunkBytes;
  if (n < kLongRange) return ScanFor<Stop::NotDefined>(base_ + address, n) == n;
  const WholeChunks chunks(address, n);
  for (uint64_t c = chunks.first; c < chunks.last; ++c) {
    if ((summary_.Known(c) & ShadowSummary::kAllDefined) == 0) return false;
  }
  const uint64_t head = chunks.first * kChunk - address, tail = chunks.last * kChunk;
  const uint64_t rest = address + n - tail;
  return ScanFor<Stop::NotDefined>(base_ + address, head) == head &&
         ScanFor<Stop::NotDefined>(base_ + tail, rest) == rest;
}

bool ShadowNoneOfLong(const uint8_t* p, uint64_t n, uint8_t byte_mask) {
  if (byte_mask == kFirstUnaddressable) return ScanFor<Stop::Unaddressable>(p, n) == n;
  return ScanFor<Stop::NotDefined>(p, n) == n;  // 0xff
}

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
  // One more page in front: the stack state (StackShadowState).
  void* p = mmap(nullptr, PageSize() + kShadowReservationBytes, PROT_NONE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    return Fail(std::string("memcheck: cannot reserve the shadow memory: ") + strerror(errno));
  }
  if (mprotect(p, PageSize(), PROT_READ | PROT_WRITE) != 0) {
    munmap(p, PageSize() + kShadowReservationBytes);
    return Fail(std::string("memcheck: cannot commit shadow memory: ") + strerror(errno));
  }
  ShadowMemory shadow(static_cast<uint8_t*>(p) + PageSize(), 0);
  auto grown = shadow.Grow(initial_size, fill);
  if (!grown) return Fail(grown.error());
  return shadow;
}

ShadowMemory::ShadowMemory(ShadowMemory&& other) noexcept
    : base_(std::exchange(other.base_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      committed_(std::exchange(other.committed_, 0)),
      partial_(std::exchange(other.partial_, {})),
      summary_(std::exchange(other.summary_, {})) {}

ShadowMemory& ShadowMemory::operator=(ShadowMemory&& other) noexcept {
  if (this != &other) {
    Release();
    base_ = std::exchange(other.base_, nullptr);
    size_ = std::exchange(other.size_, 0);
    committed_ = std::exchange(other.committed_, 0);
    partial_ = std::exchange(other.partial_, {});
    summary_ = std::exchange(other.summary_, {});
  }
  return *this;
}

ShadowMemory::~ShadowMemory() { Release(); }

void ShadowMemory::Release() {
  if (base_ != nullptr) munmap(base_ - PageSize(), PageSize() + kShadowReservationBytes);
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
  summary_.Resize(size_);
  // Freshly committed pages read as 0 (Defined); bytes between old_size and the old commit
  // were never painted (SetRange clips to size_) and are 0 too.
  if (fill != ShadowState::Defined) SetRange(old_size, new_size - old_size, fill);
  return {};
}

bool ShadowMemory::SetRangeLong(uint64_t address, uint64_t length, ShadowState state) {
  if (address >= size_) return length == 0 && address == size_;
  uint64_t end = std::min(size_, address + std::min(length, kShadowReservationBytes));
  memset(base_ + address, ToByte(state), end - address);
  partial_.Forget(address, end - address, base_, size_);
  summary_.Wrote(address, end - address, PaintOf(state));
  return end - address == length;
}

void ShadowMemory::SetAddressable(uint64_t address, uint64_t length, ShadowState state) {
  if (address >= size_) return;
  uint64_t end = std::min(size_, address + std::min(length, kShadowReservationBytes));
  const uint8_t value = ToByte(state);
  if (AllAddressable(address, end - address)) {
    // Nearly always (memset into a live buffer): one paint, no runs to find; none at all
    // where a long buffer is known defined already.
    if (value == 0 && end - address >= kLongRange && KnownAllDefined(address, end - address)) {
      return;
    }
    memset(base_ + address, value, end - address);
    partial_.Forget(address, end - address, base_, size_);
    summary_.Wrote(address, end - address, PaintOf(state));
    return;
  }
  uint64_t a = address;
  while (a < end) {
    // Runs of addressable bytes are painted whole (memset); the rest is skipped.
    uint64_t run = a + ScanFor<Stop::Unaddressable>(base_ + a, end - a);
    memset(base_ + a, value, run - a);
    a = run < end ? run + ScanFor<Stop::Addressable>(base_ + run, end - run) : end;
  }
  partial_.Forget(address, end - address, base_, size_);
  // Zeros break nothing; but the unaddressable bytes kept theirs, so nothing is learned.
  if (value != 0) summary_.Wrote(address, end - address, PaintOf(state));
}

void ShadowMemory::PaintBlockLong(uint64_t raw_begin, uint64_t raw_length, ShadowState redzone,
                                  uint64_t user_begin, uint64_t user_length, ShadowState contents) {
  SetRange(raw_begin, raw_length, redzone);
  SetRange(user_begin, user_length, contents);
}

void ShadowMemory::CopyMixedRange(uint64_t dst, uint64_t src, uint64_t length) {
  // A bad copy (its invalid bytes already reported): rare, so simply through a snapshot.
  std::vector<uint8_t> states(base_ + src, base_ + src + length);
  std::vector<uint8_t> bits(length, 0);
  for (uint64_t i = 0; i < length; ++i) {
    if (states[i] == ToByte(ShadowState::PartlyDefined)) bits[i] = partial_.Get(src + i);
  }
  for (uint64_t i = 0; i < length; ++i) {
    uint8_t& d = base_[dst + i];
    if (d >= kFirstUnaddressable) continue;
    d = states[i] >= kFirstUnaddressable ? ToByte(ShadowState::Defined) : states[i];
  }
  partial_.Forget(dst, length, base_, size_);
  for (uint64_t i = 0; i < length; ++i) {
    if (base_[dst + i] == ToByte(ShadowState::PartlyDefined)) partial_.Set(dst + i, bits[i]);
  }
  summary_.Wrote(dst, length, ShadowSummary::Paint::Addressable);
}

bool ShadowMemory::CopyRange(uint64_t dst, uint64_t src, uint64_t length, bool all_addressable,
                             bool* unchanged) {
  if (unchanged != nullptr) *unchanged = false;
  if (dst > size_ || src > size_ || length > size_ - dst || length > size_ - src) return false;
  if (!all_addressable && (!AllAddressable(src, length) || !AllAddressable(dst, length))) {
    CopyMixedRange(dst, src, length);
    return true;
  }
  // A long copy of bytes known defined over bytes known defined changes nothing (memops'
  // buffers, once checked: the summary says so without a pass over either).
  const bool src_defined = length >= kLongRange && KnownAllDefined(src, length);
  if (src_defined && KnownAllDefined(dst, length)) {
    if (unchanged != nullptr) *unchanged = true;
    return true;
  }
  summary_.Wrote(dst, length,
                 src_defined ? ShadowSummary::Paint::Defined : ShadowSummary::Paint::Addressable);
  if (partial_.empty()) {
    memmove(base_ + dst, base_ + src, length);
    return true;
  }
  // The source's partly defined bytes, by offset, before the copy overwrites any of them.
  std::vector<std::pair<uint64_t, uint8_t>> partly;
  const uint8_t kPartly = ToByte(ShadowState::PartlyDefined);
  const uint8_t* from = base_ + src;
  const uint8_t* end = from + length;
  for (const void* hit; from < end && (hit = memchr(from, kPartly, end - from)) != nullptr;) {
    const auto* p = static_cast<const uint8_t*>(hit);
    auto offset = static_cast<uint64_t>(p - (base_ + src));
    partly.emplace_back(offset, partial_.Get(src + offset));
    from = p + 1;
  }
  memmove(base_ + dst, base_ + src, length);
  partial_.Forget(dst, length, base_, size_);
  for (auto [offset, bits] : partly) partial_.Set(dst + offset, bits);
  return true;
}

namespace {
constexpr uint64_t kByteOnes = 0x0101010101010101;
// The low n bytes of a word (n in 1..8).
constexpr uint64_t LowBytes(uint64_t n) {
  return n >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * n)) - 1;
}
}  // namespace

uint64_t ShadowMemory::LoadVBits(uint64_t address, uint32_t size) const {
  uint64_t n = std::min<uint64_t>(size, 8);
  if (address >= size_) return 0;
  n = std::min(n, size_ - address);
  uint64_t states = 0;
  memcpy(&states, base_ + address, n);
  // The common case, every byte Defined (0) or Undefined (1): each byte times 0xff is its
  // V bits, with no carry between bytes.
  if ((states & ~kByteOnes) == 0) return states * 0xff;
  uint64_t vbits = 0;
  for (uint64_t i = 0; i < n; ++i) {
    uint8_t s = base_[address + i];
    uint64_t byte = s == ToByte(ShadowState::Undefined)       ? 0xff
                    : s == ToByte(ShadowState::PartlyDefined) ? partial_.Get(address + i)
                                                              : 0;
    vbits |= byte << (8 * i);
  }
  return vbits;
}

void ShadowMemory::StoreVBits(uint64_t address, uint32_t size, uint64_t vbits) {
  if (size > 8) {
    StoreVBits(address, 8, vbits);
    StoreVBits(address + 8, size - 8, vbits);
    return;
  }
  if (address >= size_) return;
  uint64_t n = std::min<uint64_t>(size, size_ - address);
  uint64_t states = 0;
  memcpy(&states, base_ + address, n);
  // The common case: the bytes were Defined or Undefined and each byte of the value is wholly
  // defined or undefined. The new states are the V bits' low bit of each byte.
  const uint64_t low_bits = vbits & kByteOnes & LowBytes(n);
  if ((states & ~kByteOnes) == 0 && (vbits & LowBytes(n)) == low_bits * 0xff) {
    memcpy(base_ + address, &low_bits, n);
    if (low_bits != 0) summary_.Wrote(address, n, ShadowSummary::Paint::Addressable);
    return;
  }
  summary_.Wrote(address, n, ShadowSummary::Paint::Addressable);
  bool dropped_partial = false;
  for (uint64_t i = 0; i < n; ++i) {
    uint8_t& s = base_[address + i];
    if (s >= kFirstUnaddressable) continue;
    auto bits = static_cast<uint8_t>(vbits >> (8 * i));
    if (bits == 0 || bits == 0xff) {
      dropped_partial |= s == ToByte(ShadowState::PartlyDefined);
      s = ToByte(bits == 0 ? ShadowState::Defined : ShadowState::Undefined);
    } else {
      s = ToByte(ShadowState::PartlyDefined);
      partial_.Set(address + i, bits);
    }
  }
  if (dropped_partial) partial_.Forget(address, n, base_, size_);
}

std::optional<BadByte> ShadowMemory::FirstBad(uint64_t address, uint64_t length,
                                              bool unaddressable) const {
  uint64_t end = address + length;
  uint64_t in_memory_end = std::min(end, size_);
  if (address < in_memory_end) {
    uint64_t n = in_memory_end - address;
    uint64_t bad = unaddressable ? FindUnaddressable(address, n) : FindNotDefined(address, n);
    if (bad < n) return BadByte{address + bad, static_cast<ShadowState>(base_[address + bad])};
  }
  if (end > size_ && length > 0) {
    return BadByte{std::max(address, size_), ShadowState::OutsideMemory};
  }
  return std::nullopt;
}

// (Unaddressable states are the ones with the top bit: FirstUnaddressable's test.)
static_assert(kFirstUnaddressable == 0x80);

std::optional<BadByte> ShadowMemory::FirstNotDefined(uint64_t address, uint64_t length) const {
  static_assert(ToByte(ShadowState::Defined) == 0);
  return FirstBad(address, length, false);
}

}  // namespace wasmgrind::memcheck
