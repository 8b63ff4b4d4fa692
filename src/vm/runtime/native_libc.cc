// The native libc replacements of libc_replacements.def (FindLibcReplacement, in
// vm/libc_replacements.cc, selects them).
//
// Each wg_libc_<name> stops where musl's loop stops, and traps where musl's loop would step
// outside memory 0 (before touching memory, where musl traps midway). Host pointers are formed
// only for ranges checked against the memory's current size, so the glibc routines and vector
// loads below never touch the guard region (they may read a few bytes past the stop point,
// inside memory, as musl's word-at-a-time loops do). The result is what musl returns: the first differing bytes as unsigned
// chars subtracted (not glibc's unspecified sign), wasm addresses, 0 for NULL.
//
// They do not trap themselves: kLibcOutOfBounds comes back as a value, and the JIT code that
// called them branches to its own trap stub, so the trap is an ordinary explicit trap of the
// replaced function (its PC maps and backtrace need no help from host frames). What the access
// would have been goes to a per-thread slot first (OutOfBounds), for the trap report.
#include <emmintrin.h>

#include <algorithm>
#include <cstring>

#include "vm/libc_replacements.h"
#include "vm/runtime/runtime_call_impls.h"
#include "vm/vmcontext.h"

namespace wasmgrind {
namespace {

thread_local std::optional<LibcOutOfBoundsAccess> t_out_of_bounds;

// Records the access that leaves memory (see LibcOutOfBoundsAccess); returns kLibcOutOfBounds.
uint64_t OutOfBounds(uint32_t address, uint64_t size, bool is_store) {
  t_out_of_bounds = LibcOutOfBoundsAccess{address, size, is_store};
  return kLibcOutOfBounds;
}

// Memory 0 of the calling instance, as host bytes.
struct Memory {
  uint8_t* base;
  uint64_t size;

  // Bytes from `addr` to the end of memory (0 if `addr` is past it).
  uint64_t Avail(uint32_t addr) const { return addr < size ? size - addr : 0; }
  bool Contains(uint32_t addr, uint64_t len) const { return uint64_t{addr} + len <= size; }
  // The read of a string at `addr` that memory ends before its NUL: up to and including the
  // first byte past the end.
  uint64_t StringOutOfBounds(uint32_t addr) const {
    return OutOfBounds(addr, Avail(addr) + 1, false);
  }
  uint8_t* At(uint32_t addr) const { return base + addr; }
};

// Straight from the vmctx (not through the Instance: small memcpys are most of the calls).
Memory Memory0(VMContext* vmctx) {
  auto* def = *reinterpret_cast<VMMemoryDefinition**>(reinterpret_cast<uint8_t*>(vmctx) +
                                                      VMOffsets::kFirstMemory);
  return {def->base, def->current_length};
}

// Length of the NUL-terminated string at `s`, or -1 if memory ends before its NUL.
int64_t StringLength(const Memory& m, uint32_t s) {
  uint64_t avail = m.Avail(s);
  const void* nul = avail ? std::memchr(m.At(s), 0, avail) : nullptr;
  return nul ? static_cast<const uint8_t*>(nul) - m.At(s) : -1;
}

// First i < n with p[i] == c or p[i] == 0; n if none. The range is in memory. (Not length
// first, then memchr: callers walk a big text with strchr/strstr, and musl reads only up to
// the hit, so must we, or each call costs the whole rest of the text.)
uint64_t FirstOfOrNul(const uint8_t* p, uint64_t n, uint8_t c) {
  const __m128i zero = _mm_setzero_si128(), needle = _mm_set1_epi8(static_cast<char>(c));
  uint64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    __m128i hits = _mm_or_si128(_mm_cmpeq_epi8(v, zero), _mm_cmpeq_epi8(v, needle));
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hits));
    if (mask != 0) return i + static_cast<unsigned>(__builtin_ctz(mask));
  }
  for (; i < n; ++i) {
    if (p[i] == c || p[i] == 0) return i;
  }
  return n;
}

// First i < n with a[i] != b[i], or (stop_at_nul) a[i] == 0; n if none. Both ranges are in
// memory.
uint64_t FirstStop(const uint8_t* a, const uint8_t* b, uint64_t n, bool stop_at_nul) {
  uint64_t i = 0;
  if (!stop_at_nul) {
    // Equal blocks are the common case of big compares: glibc's memcmp skips them fastest.
    constexpr uint64_t kBlock = 4096;
    while (i + kBlock <= n && std::memcmp(a + i, b + i, kBlock) == 0) i += kBlock;
  }
  const __m128i zero = _mm_setzero_si128();
  for (; i + 16 <= n; i += 16) {
    __m128i va = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i));
    __m128i vb = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + i));
    unsigned stops = ~static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(va, vb))) & 0xffffu;
    if (stop_at_nul) stops |= static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(va, zero)));
    if (stops != 0) return i + static_cast<unsigned>(__builtin_ctz(stops));
  }
  for (; i < n; ++i) {
    if (a[i] != b[i] || (stop_at_nul && a[i] == 0)) return i;
  }
  return n;
}

// The compare loops of memcmp (stop_at_nul false), strcmp and strncmp: scan up to `limit`
// bytes; at the first stop the result is a[i] - b[i], past `limit` 0. Sets `*out_of_bounds`
// if the scan would read outside memory before stopping.
int32_t Compare(const Memory& m, uint32_t a, uint32_t b, uint64_t limit, bool stop_at_nul,
                bool* out_of_bounds) {
  uint64_t n = std::min({limit, m.Avail(a), m.Avail(b)});
  uint64_t i = FirstStop(m.At(a), m.At(b), n, stop_at_nul);
  if (i < n) return int32_t{m.At(a)[i]} - int32_t{m.At(b)[i]};
  *out_of_bounds = n < limit;
  if (*out_of_bounds) {
    const uint32_t first = m.Avail(a) <= m.Avail(b) ? a : b;  // the one that ends first
    OutOfBounds(first, std::min(limit, m.Avail(first) + 1), false);
  }
  return 0;
}

// Copies the string at `src` (NUL included) to `dst`; returns its length, or -1 if either
// range leaves memory.
int64_t CopyString(const Memory& m, uint32_t dst, uint32_t src) {
  int64_t len = StringLength(m, src);
  if (len < 0) {
    m.StringOutOfBounds(src);
    return -1;
  }
  if (!m.Contains(dst, static_cast<uint64_t>(len) + 1)) {
    OutOfBounds(dst, static_cast<uint64_t>(len) + 1, true);
    return -1;
  }
  std::memmove(m.At(dst), m.At(src), static_cast<size_t>(len) + 1);
  return len;
}

uint32_t Address(const Memory& m, const void* p) {
  return static_cast<uint32_t>(static_cast<const uint8_t*>(p) - m.base);
}

// memmove on memory; false (recording the access) if either range leaves it: the one that
// leaves first, as musl's copy loop would meet it.
bool Move(const Memory& m, uint32_t dst, uint32_t src, uint32_t n) {
  if (n == 0) return true;
  if (!m.Contains(dst, n) || !m.Contains(src, n)) {
    if (!m.Contains(src, n) && m.Avail(src) <= m.Avail(dst)) {
      OutOfBounds(src, n, false);
    } else {
      OutOfBounds(dst, n, true);
    }
    return false;
  }
  std::memmove(m.At(dst), m.At(src), n);
  return true;
}

// musl's memchr: the address of the first `c` in [s, s + n), 0 if none, -1 if memory ends
// before either.
int64_t MemChr(const Memory& m, uint32_t s, uint32_t c, uint32_t n) {
  if (n == 0) return 0;
  uint64_t avail = std::min<uint64_t>(n, m.Avail(s));
  const void* hit = avail ? std::memchr(m.At(s), static_cast<int>(c & 0xff), avail) : nullptr;
  if (hit) return Address(m, hit);
  if (avail < n) {
    OutOfBounds(s, n, false);
    return -1;
  }
  return 0;
}

// musl's __strchrnul: the offset from `s` of the first `c` or NUL, -1 if memory ends first
// (an unterminated string traps only if `c` is not in memory before its end).
int64_t StrChrNul(const Memory& m, uint32_t s, uint32_t c) {
  uint64_t avail = m.Avail(s);
  uint64_t i = FirstOfOrNul(m.At(s), avail, static_cast<uint8_t>(c));
  if (i == avail) {
    m.StringOutOfBounds(s);
    return -1;
  }
  return static_cast<int64_t>(i);
}

}  // namespace

std::optional<LibcOutOfBoundsAccess> TakeLibcOutOfBoundsAccess() {
  std::optional<LibcOutOfBoundsAccess> taken = t_out_of_bounds;
  t_out_of_bounds.reset();
  return taken;
}

// Same functions as runtime_call_impls.h's global-scope declarations (C linkage ignores
// namespaces).
extern "C" {

// Overlap is undefined for memcpy; memmove gives musl's answer for the usual dst < src case
// and a sane one otherwise.
uint64_t wg_libc_memcpy(VMContext* vmctx, uint32_t dst, uint32_t src, uint32_t n) {
  if (!Move(Memory0(vmctx), dst, src, n)) return kLibcOutOfBounds;
  return dst;
}

uint64_t wg_libc_memmove(VMContext* vmctx, uint32_t dst, uint32_t src, uint32_t n) {
  if (!Move(Memory0(vmctx), dst, src, n)) return kLibcOutOfBounds;
  return dst;
}

uint64_t wg_libc_memset(VMContext* vmctx, uint32_t dst, uint32_t c, uint32_t n) {
  if (n == 0) return dst;
  Memory m = Memory0(vmctx);
  if (!m.Contains(dst, n)) return OutOfBounds(dst, n, true);
  std::memset(m.At(dst), static_cast<int>(c & 0xff), n);
  return dst;
}

uint64_t wg_libc_memcmp(VMContext* vmctx, uint32_t a, uint32_t b, uint32_t n) {
  if (n == 0) return 0;
  bool oob = false;
  int32_t r = Compare(Memory0(vmctx), a, b, n, false, &oob);
  if (oob) return kLibcOutOfBounds;
  return static_cast<uint32_t>(r);
}

uint64_t wg_libc_memchr(VMContext* vmctx, uint32_t s, uint32_t c, uint32_t n) {
  int64_t hit = MemChr(Memory0(vmctx), s, c, n);
  if (hit < 0) return kLibcOutOfBounds;
  return static_cast<uint32_t>(hit);
}

uint64_t wg_libc_memrchr(VMContext* vmctx, uint32_t s, uint32_t c, uint32_t n) {
  if (n == 0) return 0;
  Memory m = Memory0(vmctx);
  if (!m.Contains(s, n)) return OutOfBounds(s, n, false);  // musl reads s[n - 1] first
  const void* hit = memrchr(m.At(s), static_cast<int>(c & 0xff), n);
  return hit ? Address(m, hit) : 0;
}

uint64_t wg_libc_strnlen(VMContext* vmctx, uint32_t s, uint32_t n) {
  // musl: memchr(s, 0, n), else n.
  int64_t nul = MemChr(Memory0(vmctx), s, 0, n);
  if (nul < 0) return kLibcOutOfBounds;
  return nul ? static_cast<uint32_t>(nul) - s : n;
}

uint64_t wg_libc_strlen(VMContext* vmctx, uint32_t s) {
  Memory m = Memory0(vmctx);
  int64_t len = StringLength(m, s);
  if (len < 0) return m.StringOutOfBounds(s);
  return static_cast<uint32_t>(len);
}

uint64_t wg_libc_strcmp(VMContext* vmctx, uint32_t a, uint32_t b) {
  bool oob = false;
  int32_t r = Compare(Memory0(vmctx), a, b, UINT64_MAX, true, &oob);
  if (oob) return kLibcOutOfBounds;
  return static_cast<uint32_t>(r);
}

uint64_t wg_libc_strncmp(VMContext* vmctx, uint32_t a, uint32_t b, uint32_t n) {
  if (n == 0) return 0;
  bool oob = false;
  int32_t r = Compare(Memory0(vmctx), a, b, n, true, &oob);
  if (oob) return kLibcOutOfBounds;
  return static_cast<uint32_t>(r);
}

uint64_t wg_libc_strchr(VMContext* vmctx, uint32_t s, uint32_t c) {
  Memory m = Memory0(vmctx);
  int64_t i = StrChrNul(m, s, c);  // strchr(s, 0) finds the NUL
  if (i < 0) return kLibcOutOfBounds;
  return m.At(s)[i] == static_cast<uint8_t>(c) ? s + static_cast<uint32_t>(i) : 0;
}

uint64_t wg_libc_strchrnul(VMContext* vmctx, uint32_t s, uint32_t c) {
  int64_t i = StrChrNul(Memory0(vmctx), s, c);
  if (i < 0) return kLibcOutOfBounds;
  return s + static_cast<uint32_t>(i);
}

uint64_t wg_libc_strrchr(VMContext* vmctx, uint32_t s, uint32_t c) {
  Memory m = Memory0(vmctx);
  int64_t len = StringLength(m, s);
  if (len < 0) return m.StringOutOfBounds(s);
  const void* hit = memrchr(m.At(s), static_cast<int>(c & 0xff), static_cast<size_t>(len) + 1);
  return hit ? Address(m, hit) : 0;
}

uint64_t wg_libc_strcpy(VMContext* vmctx, uint32_t dst, uint32_t src) {
  if (CopyString(Memory0(vmctx), dst, src) < 0) return kLibcOutOfBounds;
  return dst;
}

uint64_t wg_libc_stpcpy(VMContext* vmctx, uint32_t dst, uint32_t src) {
  int64_t len = CopyString(Memory0(vmctx), dst, src);
  if (len < 0) return kLibcOutOfBounds;
  return dst + static_cast<uint32_t>(len);
}

uint64_t wg_libc_strcat(VMContext* vmctx, uint32_t dst, uint32_t src) {
  Memory m = Memory0(vmctx);
  int64_t len = StringLength(m, dst);
  if (len < 0) return m.StringOutOfBounds(dst);
  if (CopyString(m, dst + static_cast<uint32_t>(len), src) < 0) return kLibcOutOfBounds;
  return dst;
}

uint64_t wg_libc_strstr(VMContext* vmctx, uint32_t haystack, uint32_t needle) {
  Memory m = Memory0(vmctx);
  int64_t needle_len = StringLength(m, needle);
  if (needle_len < 0) return m.StringOutOfBounds(needle);
  if (needle_len == 0) return haystack;
  // The haystack in growing windows, each searched up to its NUL or end (overlapping the last
  // by needle_len - 1 bytes, for a match across the seam): like musl, the cost is the distance
  // to the match, not the length of a big text that is searched again and again.
  uint64_t avail = m.Avail(haystack);
  uint64_t done = 0;  // no match starts before this offset
  for (uint64_t window = 256;; window = std::min<uint64_t>(window * 2, uint64_t{1} << 20)) {
    uint64_t end = std::min(avail, done + static_cast<uint64_t>(needle_len) - 1 + window);
    const void* nul = std::memchr(m.At(haystack) + done, 0, end - done);
    if (nul) end = static_cast<uint64_t>(static_cast<const uint8_t*>(nul) - m.At(haystack));
    const void* hit =
        memmem(m.At(haystack) + done, end - done, m.At(needle), static_cast<size_t>(needle_len));
    if (hit) return Address(m, hit);
    if (nul) return 0;
    if (end == avail) return m.StringOutOfBounds(haystack);
    done = end - static_cast<uint64_t>(needle_len) + 1;
  }
}

}  // extern "C"

}  // namespace wasmgrind
