// The --memcheck versions of the native libc replacements: wg_libc_mc_<impl>, which code
// compiled with EngineOptions::memcheck calls instead of wg_libc_<impl> (runtime_calls.h,
// MemcheckLibcReplacementCall). Each returns what wg_libc_<impl> returns (it calls it) and
// checks exactly the bytes the C function touches against memory 0's shadow, as Valgrind's
// replacements (vg_replace_strmem.c, which run on its checked CPU) are checked:
//   - a scan up to and including the byte it stops at: strlen and strcpy's source to the NUL,
//     memchr and strchr to the hit, memcmp and strcmp to the first difference (both strings
//     read in step, so the error is at the first bad byte of either);
//   - a copy both ways: read at the source, written at the destination.
// A bad range is one "Invalid read/write of size 1" at its first bad byte (the first Valgrind
// would meet), with the backtrace from the replaced function ("at strcpy", then its caller).
// memcpy, strcpy, stpcpy and strcat also report overlapping source and destination as
// Valgrind does. The shadow follows the data: a clean copy copies it (CopyState), memset
// paints what it wrote (OnHostWrote). Where the C function branches on a byte (every byte a
// scan or a compare examines: strlen's, strcmp's, strchr's, strcpy's search for the NUL), an
// undefined one is Valgrind's "Conditional jump or move depends on uninitialised value(s)"
// in the replaced function's frame (CheckBranchesOn), as its replacements, run on its checked
// CPU, report; a plain copy (memcpy, memmove) branches on nothing and only carries the state.
//
// Ranges are clipped to the memory: what runs past its end is reported by the trap that
// follows (the replacement returns kLibcOutOfBounds as ever, and the tool reports the trap as
// an access outside memory). A copy's ranges are measured before it runs (it may overwrite
// its source); a search's after, from its result.
//
// Speed: nearly every range these check is in memory with a shadow of all zeros (addressable
// and defined), which one inline test of the shadow says (LibcCall::Clean); only a range that
// fails it takes the checker's paths, which find the first bad byte, report, and repaint. The
// compares take their result from the pass that finds the bytes they read.
#include <emmintrin.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "memcheck/shadow_memory.h"
#include "vm/libc_replacements.h"
#include "vm/runtime/instance.h"
#include "vm/runtime/memcheck_runtime.h"
#include "vm/runtime/runtime_call_impls.h"
#include "vm/runtime/trap_boundary.h"
#include "vm/vmcontext.h"

namespace wasmgrind {
namespace {

using memcheck::AccessKind;

// First i < n with a[i] != b[i], or (stop_at_nul) a[i] == 0; n if none. SSE2, 16 bytes a
// step: memcmp of whole buffers spends its time here. (The compares return their result from
// it too: see LibcCall::Compare.)
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
    int stops = ~_mm_movemask_epi8(_mm_cmpeq_epi8(va, vb)) & 0xffff;
    if (stop_at_nul) stops |= _mm_movemask_epi8(_mm_cmpeq_epi8(va, zero));
    if (stops != 0) return i + static_cast<uint64_t>(__builtin_ctz(static_cast<uint32_t>(stops)));
  }
  for (; i < n; ++i) {
    if (a[i] != b[i] || (stop_at_nul && a[i] == 0)) return i;
  }
  return n;
}

// One call of a replacement: memory 0 and its shadow, and the JIT caller's frame (the
// replacement's return address and frame address), where a report's backtrace starts. Both
// come straight from the vmctx: most calls are short and clean (Clean), and pay for nothing
// else; the instance and its checker are looked up only when a range is not.
class LibcCall {
 public:
  LibcCall(VMContext* vmctx, uintptr_t return_address, uintptr_t frame_address)
      : vmctx_(vmctx),
        shadow_(reinterpret_cast<VMContextHeader*>(vmctx)->shadow_base),
        return_address_(return_address),
        frame_address_(frame_address) {
    if (shadow_ != nullptr) {
      // A checked instance has memory 0 (no checker is attached to a memoryless one).
      const auto* memory = *reinterpret_cast<VMMemoryDefinition* const*>(
          reinterpret_cast<const uint8_t*>(vmctx) + VMOffsets::kFirstMemory);
      base_ = memory->base;
      size_ = memory->current_length;
    }
  }

  // False for an instance without a checker.
  bool checked() const { return shadow_ != nullptr; }
  const uint8_t* At(uint32_t address) const { return base_ + address; }
  uint64_t Avail(uint32_t address) const { return address < size_ ? size_ - address : 0; }
  uint32_t Address(const void* p) const {
    return static_cast<uint32_t>(static_cast<const uint8_t*>(p) - base_);
  }
  // [address, address + length) lies in memory and is all addressable and defined: whatever
  // the function does with it, there is nothing to report and no shadow to change (a copy of
  // defined bytes over defined bytes, a memset of them).
  // (Long ranges through the checker's shadow, whose summary knows them.)
  bool Clean(uint32_t address, uint64_t length) const {
    if (length > Avail(address)) return false;
    if (length >= memcheck::ShadowMemory::kLongRange) {
      return checker().shadow().AllDefined(address, length);
    }
    return memcheck::ShadowAllDefined(shadow_ + address, length);
  }
  // ... lies in memory and is all addressable: a read or write of it is no error.
  bool Addressable(uint32_t address, uint64_t length) const {
    if (length > Avail(address)) return false;
    if (length >= memcheck::ShadowMemory::kLongRange) {
      return checker().shadow().AllAddressable(address, length);
    }
    return memcheck::ShadowAllAddressable(shadow_ + address, length);
  }

  // The bytes of the string at `s` with its NUL; nullopt if memory ends before the NUL.
  std::optional<uint64_t> StringSize(uint32_t s) const {
    uint64_t avail = Avail(s);
    const void* nul = avail ? std::memchr(At(s), 0, avail) : nullptr;
    if (nul == nullptr) return std::nullopt;
    return static_cast<uint64_t>(static_cast<const uint8_t*>(nul) - At(s)) + 1;
  }
  // A scan of the string at `s`: to its NUL, or to the end of memory.
  uint64_t StringExtent(uint32_t s) const { return StringSize(s).value_or(Avail(s)); }

  // Checks [address, address + length) as far as it lies in memory; true if it was all fine.
  bool Check(AccessKind access, uint32_t address, uint64_t length) {
    if (Addressable(address, length)) return true;
    uint64_t in_memory = std::min(length, Avail(address));
    if (in_memory == 0) return true;
    return !McCheckRuntimeRange(inst(), access, address, in_memory, return_address_,
                                frame_address_);
  }
  // The C function branches on every byte of [address, address + length) (as far as it lies
  // in memory): an undefined one is reported as the branch it decides.
  void Branches(uint32_t address, uint64_t length) {
    if (Clean(address, length)) return;
    uint64_t in_memory = std::min(length, Avail(address));
    if (in_memory == 0) return;
    checker().CheckBranchesOn(address, in_memory, [&] { return Backtrace(); });
  }
  // A scan: read, and a branch on every byte read.
  void Scan(uint32_t address, uint64_t length) {
    if (Clean(address, length)) return;
    Check(AccessKind::Read, address, length);
    Branches(address, length);
  }
  // Two ranges read in step, a[i] then b[i] (memcmp, strcmp): the one whose first bad byte
  // comes first is reported, as the C loop meets it.
  void CheckInStep(uint32_t a, uint32_t b, uint64_t length) {
    const memcheck::ShadowMemory& shadow = checker().shadow();
    auto bad_a = shadow.FirstUnaddressable(a, std::min(length, Avail(a)));
    auto bad_b = shadow.FirstUnaddressable(b, std::min(length, Avail(b)));
    if (bad_b && (!bad_a || bad_b->address - b < bad_a->address - a)) {
      Check(AccessKind::Read, b, length);
    } else if (bad_a) {
      Check(AccessKind::Read, a, length);
    }
  }
  // The compare loops of memcmp (stop_at_nul false), strcmp and strncmp: checks the bytes
  // they read, up to `limit` or the first stop, and returns musl's result from the same pass
  // (the first differing bytes as unsigned chars subtracted, 0 past `limit`); nullopt when
  // memory ends first (the unchecked replacement then says where it traps).
  std::optional<uint64_t> Compare(uint32_t a, uint32_t b, uint64_t limit, bool stop_at_nul) {
    uint64_t n = std::min({limit, Avail(a), Avail(b)});
    uint64_t stop = FirstStop(At(a), At(b), n, stop_at_nul);
    uint64_t compared = stop < n ? stop + 1 : limit;
    if (!Clean(a, compared) || !Clean(b, compared)) {
      CheckInStep(a, b, compared);
      Branches(a, compared);
      Branches(b, compared);
    }
    if (stop < n) return static_cast<uint32_t>(int32_t{At(a)[stop]} - int32_t{At(b)[stop]});
    if (n == limit) return 0;
    return std::nullopt;
  }

  // A copy of `length` bytes from `src` to `dst` by `function`: both ranges checked, an
  // overlap reported (when `overlap_length` says how Valgrind prints the call: with its length
  // argument, or without for the string functions), and the definedness copied as far as
  // memory goes, also after an error: the copy goes ahead, and the program reads what it
  // wrote (an invalid source byte gives a defined one, as under Valgrind).
  struct Overlap {
    const char* function;
    std::optional<uint64_t> length_argument;
  };
  // (By reference: a by-value optional is copied as one 16-byte load over its byte stores, a
  // store-forwarding stall on every call.)
  void Copy(uint32_t dst, uint32_t src, uint64_t length, const std::optional<Overlap>& overlap) {
    // Defined bytes over defined bytes leave the shadow as it is (a defined byte's origin tag
    // is never read, and the side table has no bits for either range); addressable ones only
    // need their state copied.
    bool defined = Clean(src, length) && Clean(dst, length);
    if (defined || (Addressable(src, length) && Addressable(dst, length))) {
      if (overlap && Overlaps(dst, src, length, length)) ReportOverlap(*overlap, dst, src);
      if (!defined) checker().CopyState(dst, src, length, /*checked_clean=*/true);
      return;
    }
    bool clean = Check(AccessKind::Read, src, length);
    clean &= Check(AccessKind::Write, dst, length);
    if (overlap && Overlaps(dst, src, length, length)) ReportOverlap(*overlap, dst, src);
    // Both checked ranges cover the part in memory.
    uint64_t in_memory = std::min({length, Avail(src), Avail(dst)});
    if (in_memory > 0) checker().CopyState(dst, src, in_memory, clean);
  }
  void ReportOverlap(const Overlap& overlap, uint32_t dst, uint32_t src) {
    checker().ReportOverlap(overlap.function, dst, src, overlap.length_argument,
                            [&] { return Backtrace(); });
  }
  // Valgrind's is_overlap: two non-empty ranges that share a byte.
  static bool Overlaps(uint64_t dst, uint64_t src, uint64_t dst_length, uint64_t src_length) {
    if (dst_length == 0 || src_length == 0) return false;
    return src < dst ? src + src_length > dst : dst + dst_length > src;
  }
  // The host wrote [address, address + length) (memset): part 2 marks it defined.
  void Wrote(uint32_t address, uint64_t length) {
    checker().OnHostWrote(address, std::min(length, Avail(address)));
  }

 private:
  const InstanceImpl& inst() const { return InstanceState(vmctx_); }
  memcheck::MemoryChecker& checker() const { return *inst().memcheck->checker; }
  memcheck::Backtrace Backtrace() const {
    return McBacktrace(inst(), return_address_, *reinterpret_cast<const uintptr_t*>(frame_address_),
                       std::nullopt);
  }

  VMContext* vmctx_;
  const uint8_t* shadow_;  // memory 0's shadow (null: unchecked)
  const uint8_t* base_ = nullptr;
  uint64_t size_ = 0;
  uintptr_t return_address_;
  uintptr_t frame_address_;
};

bool OutOfBounds(uint64_t result) { return result == kLibcOutOfBounds; }

// A string copy (strcpy, stpcpy): the source with its NUL, read, then written at `dst`.
void CheckStringCopy(LibcCall& c, const char* function, uint32_t dst, uint32_t src) {
  std::optional<uint64_t> size = c.StringSize(src);
  if (!size) {
    c.Scan(src, c.Avail(src));  // the rest is the trap's
    return;
  }
  c.Branches(src, *size);  // the loop stops at the NUL
  c.Copy(dst, src, *size, LibcCall::Overlap{function, std::nullopt});
}

}  // namespace
}  // namespace wasmgrind

using namespace wasmgrind;

// Each entry: LibcCall first (its return and frame address must be this function's), the
// checks, then the unchecked replacement for the result.
#define WG_LIBC_CALL(vmctx) LibcCall c(vmctx, WG_CALLER_PC(), WG_FRAME_ADDRESS())

extern "C" {

uint64_t wg_libc_mc_memcpy(VMContext* vmctx, uint32_t dst, uint32_t src, uint32_t n) {
  WG_LIBC_CALL(vmctx);
  if (c.checked()) c.Copy(dst, src, n, LibcCall::Overlap{"memcpy", n});
  return wg_libc_memcpy(vmctx, dst, src, n);
}

uint64_t wg_libc_mc_memmove(VMContext* vmctx, uint32_t dst, uint32_t src, uint32_t n) {
  WG_LIBC_CALL(vmctx);
  if (c.checked()) c.Copy(dst, src, n, std::nullopt);
  return wg_libc_memmove(vmctx, dst, src, n);
}

uint64_t wg_libc_mc_memset(VMContext* vmctx, uint32_t dst, uint32_t value, uint32_t n) {
  WG_LIBC_CALL(vmctx);
  if (c.checked() && !c.Clean(dst, n)) {  // (memset of defined bytes changes no shadow)
    c.Check(AccessKind::Write, dst, n);
    c.Wrote(dst, n);
  }
  return wg_libc_memset(vmctx, dst, value, n);
}

uint64_t wg_libc_mc_memcmp(VMContext* vmctx, uint32_t a, uint32_t b, uint32_t n) {
  WG_LIBC_CALL(vmctx);
  if (c.checked()) {
    if (std::optional<uint64_t> r = c.Compare(a, b, n, false)) return *r;
  }
  return wg_libc_memcmp(vmctx, a, b, n);
}

uint64_t wg_libc_mc_memchr(VMContext* vmctx, uint32_t s, uint32_t ch, uint32_t n) {
  WG_LIBC_CALL(vmctx);
  uint64_t r = wg_libc_memchr(vmctx, s, ch, n);
  if (c.checked()) {
    // Up to the hit; without one, all n bytes (as far as memory goes: then r traps).
    c.Scan(s, r != 0 && !OutOfBounds(r) ? r - s + 1 : n);
  }
  return r;
}

uint64_t wg_libc_mc_memrchr(VMContext* vmctx, uint32_t s, uint32_t ch, uint32_t n) {
  WG_LIBC_CALL(vmctx);
  uint64_t r = wg_libc_memrchr(vmctx, s, ch, n);
  // From the end down to the hit; a range past memory traps before anything is read.
  if (c.checked() && !OutOfBounds(r)) {
    uint32_t from = r != 0 ? static_cast<uint32_t>(r) : s;
    c.Scan(from, uint64_t{s} + n - from);
  }
  return r;
}

uint64_t wg_libc_mc_strlen(VMContext* vmctx, uint32_t s) {
  WG_LIBC_CALL(vmctx);
  uint64_t r = wg_libc_strlen(vmctx, s);
  if (c.checked()) c.Scan(s, OutOfBounds(r) ? c.Avail(s) : r + 1);
  return r;
}

uint64_t wg_libc_mc_strnlen(VMContext* vmctx, uint32_t s, uint32_t n) {
  WG_LIBC_CALL(vmctx);
  uint64_t r = wg_libc_strnlen(vmctx, s, n);
  if (c.checked()) c.Scan(s, !OutOfBounds(r) && r < n ? r + 1 : n);
  return r;
}

uint64_t wg_libc_mc_strcmp(VMContext* vmctx, uint32_t a, uint32_t b) {
  WG_LIBC_CALL(vmctx);
  if (c.checked()) {
    if (std::optional<uint64_t> r = c.Compare(a, b, UINT64_MAX, true)) return *r;
  }
  return wg_libc_strcmp(vmctx, a, b);
}

uint64_t wg_libc_mc_strncmp(VMContext* vmctx, uint32_t a, uint32_t b, uint32_t n) {
  WG_LIBC_CALL(vmctx);
  if (c.checked()) {
    if (std::optional<uint64_t> r = c.Compare(a, b, n, true)) return *r;
  }
  return wg_libc_strncmp(vmctx, a, b, n);
}

uint64_t wg_libc_mc_strchr(VMContext* vmctx, uint32_t s, uint32_t ch) {
  WG_LIBC_CALL(vmctx);
  uint64_t r = wg_libc_strchr(vmctx, s, ch);
  if (c.checked()) {
    // Up to the hit, else the whole string with its NUL.
    uint64_t scanned = OutOfBounds(r) ? c.Avail(s) : r != 0 ? r - s + 1 : c.StringExtent(s);
    c.Scan(s, scanned);
  }
  return r;
}

uint64_t wg_libc_mc_strchrnul(VMContext* vmctx, uint32_t s, uint32_t ch) {
  WG_LIBC_CALL(vmctx);
  uint64_t r = wg_libc_strchrnul(vmctx, s, ch);
  if (c.checked()) c.Scan(s, OutOfBounds(r) ? c.Avail(s) : r - s + 1);
  return r;
}

uint64_t wg_libc_mc_strrchr(VMContext* vmctx, uint32_t s, uint32_t ch) {
  WG_LIBC_CALL(vmctx);
  if (c.checked()) c.Scan(s, c.StringExtent(s));
  return wg_libc_strrchr(vmctx, s, ch);
}

uint64_t wg_libc_mc_strcpy(VMContext* vmctx, uint32_t dst, uint32_t src) {
  WG_LIBC_CALL(vmctx);
  if (c.checked()) CheckStringCopy(c, "strcpy", dst, src);
  return wg_libc_strcpy(vmctx, dst, src);
}

uint64_t wg_libc_mc_stpcpy(VMContext* vmctx, uint32_t dst, uint32_t src) {
  WG_LIBC_CALL(vmctx);
  if (c.checked()) CheckStringCopy(c, "stpcpy", dst, src);
  return wg_libc_stpcpy(vmctx, dst, src);
}

uint64_t wg_libc_mc_strcat(VMContext* vmctx, uint32_t dst, uint32_t src) {
  WG_LIBC_CALL(vmctx);
  if (c.checked()) {
    // The scan of dst to its NUL, then src copied over that NUL.
    std::optional<uint64_t> dst_size = c.StringSize(dst);
    std::optional<uint64_t> src_size = c.StringSize(src);
    c.Scan(dst, dst_size.value_or(c.Avail(dst)));
    if (dst_size && !src_size) c.Scan(src, c.Avail(src));
    if (dst_size && src_size) {
      c.Branches(src, *src_size);
      // Valgrind's strcat: the whole result against the source.
      if (LibcCall::Overlaps(dst, src, *dst_size - 1 + *src_size, *src_size)) {
        c.ReportOverlap({"strcat", std::nullopt}, dst, src);
      }
      c.Copy(dst + static_cast<uint32_t>(*dst_size - 1), src, *src_size, std::nullopt);
    }
  }
  return wg_libc_strcat(vmctx, dst, src);
}

uint64_t wg_libc_mc_strstr(VMContext* vmctx, uint32_t haystack, uint32_t needle) {
  WG_LIBC_CALL(vmctx);
  uint64_t r = wg_libc_strstr(vmctx, haystack, needle);
  if (c.checked()) {
    std::optional<uint64_t> needle_size = c.StringSize(needle);
    c.Scan(needle, needle_size.value_or(c.Avail(needle)));
    // An empty needle matches at once, before the haystack is read.
    if (needle_size && *needle_size > 1) {
      uint64_t scanned = OutOfBounds(r) ? c.Avail(haystack)
                         : r != 0       ? r - haystack + *needle_size - 1
                                        : c.StringExtent(haystack);
      c.Scan(haystack, scanned);
    }
  }
  return r;
}

}  // extern "C"
