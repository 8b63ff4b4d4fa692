// ShadowMemory: the shadow bytes of one linear memory (shadow_layout.h), in a reservation of
// their own that never moves, so JIT code can keep base() in a register or segment base for
// the life of the instance. Like the linear memory's, the reservation covers any i32 index
// plus any u32 offset plus the widest access; only [base, base + size) is committed, and it
// grows with the memory. Everything else is PROT_NONE, so a shadow check of an address past
// the memory's end faults exactly where the access itself would have.
//
// Definedness (part 2): Defined and Undefined bytes are their shadow byte alone; a
// PartlyDefined byte's bits are in a side table (partial_vbits.h) that every repaint and copy
// here keeps in step, so no caller manages it.
//
// The page before base() holds the checker's stack-pointer state (StackShadowState), where JIT
// code finds it from the shadow base it already has: its stack-pointer moves repaint small
// frames inline (vm/jit/emit_memcheck_stack.cc) and keep that state as the checker would.
//
// Long ranges are checked with a summary of what is known of each 4 KiB chunk
// (shadow_summary.h): every write here keeps it true, and a check of a buffer nobody touched
// since the last reads a byte per chunk.
//
// Not thread-safe: one instance's checker is driven by the thread running it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>

#include "memcheck/expected.h"
#include "memcheck/partial_vbits.h"
#include "memcheck/shadow_layout.h"
#include "memcheck/shadow_summary.h"

namespace wasmgrind::memcheck {

// Equal to the linear memory's reservation (src/vm/runtime/linear_memory.h) by design.
inline constexpr uint64_t kShadowReservationBytes = (8ull << 30) + (64u << 10);
// The largest memory 0 can be (65536 wasm pages).
inline constexpr uint64_t kMaxShadowedBytes = 4ull << 30;

// The first byte of a range whose state is not the one asked for.
struct BadByte {
  uint64_t address;  // an effective address: index + offset may pass 4 GiB
  ShadowState state;
  bool operator==(const BadByte&) const = default;
};

// What the stack-pointer moves have made of the C stack (MemoryChecker::OnStackPointerMove),
// kept at base() - kStackStateOffset: vm/memcheck_calls.h names the same offsets for the JIT
// (memcheck_stack_test checks that they agree).
struct StackShadowState {
  uint32_t stack_pointer;
  // The lowest byte below stack_pointer a leaf frame made addressable (see MemoryChecker).
  uint32_t leaf_frames_begin;
  uint64_t fresh_pattern;  // eight copies of the state a new frame's bytes get
};
inline constexpr uint64_t kStackStateOffset = 16;
static_assert(sizeof(StackShadowState) == kStackStateOffset);

// Whether no shadow byte of p[0, n) has a bit of `byte_mask` (0xff or kFirstUnaddressable, no
// other) set: with 0xff, every byte is 0 (addressable and defined: ShadowAllDefined); with
// kFirstUnaddressable, every byte is addressable (ShadowAllAddressable). These are the fast paths
// of the host's range checks (the libc replacements, bulk memory), whose ranges are nearly always
// fine. Short ranges, most of the replacements' calls, are tested inline with two overlapping
// loads. Reads nothing outside p[0, n).
bool ShadowNoneOfLong(const uint8_t* p, uint64_t n, uint8_t byte_mask);
inline bool ShadowNoneOf(const uint8_t* p, uint64_t n, uint8_t byte_mask) {
  if (n > 16) return ShadowNoneOfLong(p, n, byte_mask);
  const uint64_t mask = byte_mask * uint64_t{0x0101010101010101};
  if (n >= 8) {
    uint64_t a, b;
    std::memcpy(&a, p, 8);
    std::memcpy(&b, p + n - 8, 8);
    return ((a | b) & mask) == 0;
  }
  if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    return ((a | b) & static_cast<uint32_t>(mask)) == 0;
  }
  return n == 0 || ((p[0] | p[n / 2] | p[n - 1]) & byte_mask) == 0;
}
inline bool ShadowAllDefined(const uint8_t* p, uint64_t n) { return ShadowNoneOf(p, n, 0xff); }
inline bool ShadowAllAddressable(const uint8_t* p, uint64_t n) {
  return ShadowNoneOf(p, n, kFirstUnaddressable);
}

class ShadowMemory {
 public:
  // Ranges at least this long are checked through the summary (shorter ones span too few
  // whole chunks to gain).
  static constexpr uint64_t kLongRange = 2 * ShadowSummary::kChunkBytes;

  // Reserves the address space and commits the shadow of `initial_size` bytes, all `fill`.
  static Expected<ShadowMemory> Create(uint64_t initial_size, ShadowState fill);

  ShadowMemory(ShadowMemory&& other) noexcept;
  ShadowMemory& operator=(ShadowMemory&& other) noexcept;
  ShadowMemory(const ShadowMemory&) = delete;
  ShadowMemory& operator=(const ShadowMemory&) = delete;
  ~ShadowMemory();

  // The shadow of guest address a is base()[a]. Never moves.
  uint8_t* base() const { return base_; }
  uint64_t size() const { return size_; }
  // At base() - kStackStateOffset; the checker's to keep, the JIT's to read and update.
  StackShadowState& stack_state() const {
    return *reinterpret_cast<StackShadowState*>(base_ - kStackStateOffset);
  }

  // The memory grew to new_size bytes (memory.grow): commit the shadow of the new bytes and
  // give them `fill` (HeapUnallocated when the heap is tracked: the allocator's sbrk). Fails
  // only if the host refuses to commit; shrinking is not a thing wasm memories do.
  Expected<void> Grow(uint64_t new_size, ShadowState fill);

  // Paint [address, address + length) `state` (not PartlyDefined: that takes bits, see
  // StoreVBits), dropping the side table's bits of the bytes painted. The range must lie
  // inside size(): callers paint what they checked or own (a block, a stack frame); asserting
  // that here would hide bugs in release builds, so out-of-range parts are clipped and
  // reported as false.
  bool SetRange(uint64_t address, uint64_t length, ShadowState state) {
    // Short ranges (every heap block's redzones and bytes, a few dozen bytes a call) are
    // painted here with a few stores, where memset's call and the general summary update
    // cost more than the painting.
    if (length <= kShortPaint && address <= size_ && length <= size_ - address) {
      FillShort(base_ + address, length, ToByte(state));
      AfterShortPaint(address, length, PaintOf(state));
      return true;
    }
    return SetRangeLong(address, length, state);
  }
  // A heap block: [raw_begin, raw_begin + raw_length) `redzone` but for
  // [user_begin, user_begin + user_length) inside it, `contents`. The same as those two
  // SetRange calls, in one pass for a short block.
  void PaintBlock(uint64_t raw_begin, uint64_t raw_length, ShadowState redzone, uint64_t user_begin,
                  uint64_t user_length, ShadowState contents) {
    const uint64_t lead = user_begin - raw_begin;
    if (raw_length <= kShortPaint && raw_begin <= size_ && raw_length <= size_ - raw_begin &&
        user_begin >= raw_begin && lead <= raw_length && user_length <= raw_length - lead) {
      FillShort(base_ + raw_begin, raw_length, ToByte(redzone));
      FillShort(base_ + user_begin, user_length, ToByte(contents));
      AfterShortPaint(raw_begin, raw_length, PaintOf(redzone));
      summary_.WroteShort(user_begin, user_length, PaintOf(contents));
      return;
    }
    PaintBlockLong(raw_begin, raw_length, redzone, user_begin, user_length, contents);
  }
  // Makes the addressable bytes of the range `state` (Defined or Undefined); unaddressable
  // ones keep theirs. Clipped to size() like SetRange.
  void SetAddressable(uint64_t address, uint64_t length, ShadowState state);

  // Copies the definedness of [src, src + length) to [dst, dst + length), as memmove copies
  // the bytes (memory.copy, memcpy: definedness travels with the data), partly defined bytes'
  // bits with them. Addressability does not travel: an unaddressable destination byte keeps
  // its state, and an unaddressable source byte (an invalid read, reported by the caller)
  // gives a Defined one, as Valgrind defines the result of an invalid read. False if either
  // range leaves size(); nothing is copied then. `all_addressable`: the caller has just found
  // both ranges addressable (its range checks), so they are not scanned again. `unchanged`,
  // if given, says whether the copy was known to change nothing (defined bytes over defined
  // ones), so that the caller need not copy what it keeps beside the state either.
  bool CopyRange(uint64_t dst, uint64_t src, uint64_t length, bool all_addressable = false,
                 bool* unchanged = nullptr);

  // The C stack [begin, end): JIT code repaints it inline (vm/jit/emit_memcheck_stack.cc),
  // behind the summary's back, so nothing is summarized of it.
  void SetStackRange(uint64_t begin, uint64_t end) { summary_.Exclude(begin, end); }

  // The V bits (bit set = undefined) of the little-endian value of `size` bytes at `address`:
  // 1, 2, 4 or 8; 16 gives its low 8 bytes. Unaddressable bytes and bytes past size() read as
  // defined (the access is reported, or traps, on its own).
  uint64_t LoadVBits(uint64_t address, uint32_t size) const;
  // A store of a `size`-byte value with V bits `vbits`: each addressable byte becomes Defined
  // (its 8 bits 0), Undefined (0xff) or PartlyDefined with its bits in the side table;
  // unaddressable bytes keep their state. Size 16 takes `vbits` for both of its halves.
  void StoreVBits(uint64_t address, uint32_t size, uint64_t vbits);
  const PartialVBits& partial() const { return partial_; }

  ShadowState Get(uint64_t address) const {
    if (address >= size_) return ShadowState::OutsideMemory;
    return static_cast<ShadowState>(base_[address]);
  }
  // [address, address + length) lies inside size() and is all addressable and defined / all
  // addressable. Long ones through the summary.
  bool AllDefined(uint64_t address, uint64_t length) const {
    if (address > size_ || length > size_ - address) return false;
    return length < kLongRange ? ShadowAllDefined(base_ + address, length)
                               : FindNotDefined(address, length) == length;
  }
  bool AllAddressable(uint64_t address, uint64_t length) const {
    if (address > size_ || length > size_ - address) return false;
    return length < kLongRange ? ShadowAllAddressable(base_ + address, length)
                               : FindUnaddressable(address, length) == length;
  }

  // The first byte in [address, address + length) that is not addressable (>= 0x80), or
  // OutsideMemory for the first byte past size(). nullopt: the whole access is fine.
  // (Inline for the common answer: the JIT's slow path, most of whose calls are false alarms
  // on addressable but undefined bytes, asks it of every access it gets.)
  std::optional<BadByte> FirstUnaddressable(uint64_t address, uint64_t length) const {
    if (AllAddressable(address, length)) return std::nullopt;
    return FirstBad(address, length, true);
  }
  // The first byte that is not Defined (0): what the JIT's fast path tests.
  std::optional<BadByte> FirstNotDefined(uint64_t address, uint64_t length) const;

 private:
  // SetRange / PaintBlock paint ranges up to this long inline.
  static constexpr uint64_t kShortPaint = 64;

  ShadowMemory(uint8_t* base, uint64_t size) : base_(base), size_(size) {}
  bool SetRangeLong(uint64_t address, uint64_t length, ShadowState state);
  void PaintBlockLong(uint64_t raw_begin, uint64_t raw_length, ShadowState redzone,
                      uint64_t user_begin, uint64_t user_length, ShadowState contents);
  static ShadowSummary::Paint PaintOf(ShadowState state) {
    if (state == ShadowState::Defined) return ShadowSummary::Paint::Defined;
    return IsAddressable(state) ? ShadowSummary::Paint::Addressable
                                : ShadowSummary::Paint::Unaddressable;
  }
  // p[0, n) = byte, n <= kShortPaint: overlapping 16-, 8-, 4- or 1-byte stores.
  static void FillShort(uint8_t* p, uint64_t n, uint8_t byte) {
    const uint64_t word = byte * uint64_t{0x0101010101010101};
    const uint64_t pair[2] = {word, word};
    if (n >= 16) {
      std::memcpy(p, pair, 16);
      std::memcpy(p + n - 16, pair, 16);
      if (n > 32) {
        std::memcpy(p + 16, pair, 16);
        std::memcpy(p + n - 32, pair, 16);
      }
    } else if (n >= 8) {
      std::memcpy(p, &word, 8);
      std::memcpy(p + n - 8, &word, 8);
    } else if (n >= 4) {
      const auto half = static_cast<uint32_t>(word);
      std::memcpy(p, &half, 4);
      std::memcpy(p + n - 4, &half, 4);
    } else if (n > 0) {
      p[0] = p[n / 2] = p[n - 1] = byte;
    }
  }
  // The books of a short paint inside size(): the side table and the summary.
  void AfterShortPaint(uint64_t address, uint64_t length, ShadowSummary::Paint paint) {
    if (!partial_.empty()) partial_.Forget(address, length, base_, size_);
    summary_.WroteShort(address, length, paint);
  }
  void Release();
  // The offset in [address, address + n) (inside size()) of the first byte that is
  // unaddressable / not Defined; n if none. Whole chunks known clean are skipped, and whole
  // chunks found clean are learned.
  uint64_t FindUnaddressable(uint64_t address, uint64_t n) const;
  uint64_t FindNotDefined(uint64_t address, uint64_t n) const;
  // The range (inside size()) is all Defined as far as is known without reading whole
  // chunks: the summary for those, the shadow for the rest. False may be wrong; true is not.
  bool KnownAllDefined(uint64_t address, uint64_t n) const;
  // CopyRange where either range has unaddressable bytes: byte by byte.
  void CopyMixedRange(uint64_t dst, uint64_t src, uint64_t length);
  // FirstUnaddressable (unaddressable) or FirstNotDefined.
  std::optional<BadByte> FirstBad(uint64_t address, uint64_t length, bool unaddressable) const;

  uint8_t* base_ = nullptr;
  uint64_t size_ = 0;       // shadowed bytes (== the memory's current length)
  uint64_t committed_ = 0;  // read-write bytes from base_, size_ rounded up to pages
  PartialVBits partial_;    // the bits of every PartlyDefined byte
  // What is known of each chunk: a cache the const checks extend.
  mutable ShadowSummary summary_;
};

}  // namespace wasmgrind::memcheck
