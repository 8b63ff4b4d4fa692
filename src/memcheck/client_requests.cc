// MemoryChecker's client requests (include/wasmgrind/memcheck.h, Valgrind's macros; see
// memory_checker.h): shadow repaints, checks, and the custom allocators' blocks and pools
// (ClientBlocks), with Valgrind's errors for misuse.
#include <algorithm>

#include "memcheck/memory_checker.h"

namespace wasmgrind::memcheck {

void MemoryChecker::MakeMemNoAccess(uint64_t address, uint64_t length) {
  shadow_.SetRange(address, length, ShadowState::NoAccess);
}

void MemoryChecker::MakeMemUndefined(uint64_t address, uint64_t length,
                                     const CaptureBacktrace& where) {
  shadow_.SetRange(address, length, Fresh());
  if (origins_) PaintOrigin(address, length, OriginKind::ClientRequest, Intern(where));
}

void MemoryChecker::MakeMemDefined(uint64_t address, uint64_t length) {
  shadow_.SetRange(address, length, ShadowState::Defined);
}

void MemoryChecker::MakeMemDefinedIfAddressable(uint64_t address, uint64_t length) {
  shadow_.SetAddressable(address, length, ShadowState::Defined);
}

uint64_t MemoryChecker::CheckMemIsAddressable(uint64_t address, uint64_t length,
                                              const CaptureBacktrace& where) {
  auto bad = shadow_.FirstUnaddressable(address, length);
  if (!bad) return 0;
  MemcheckError e;
  e.kind = ErrorKind::ClientCheck;
  e.what = "Unaddressable byte(s) found during client check request";
  e.stack = Intern(where);
  e.aux = DescribeAddress(bad->address, DescriberOf(bad->address), Context());
  errors_->Report(e);
  return bad->address;
}

uint64_t MemoryChecker::CheckMemIsDefined(uint64_t address, uint64_t length,
                                          const CaptureBacktrace& where) {
  if (!undef_value_errors()) return CheckMemIsAddressable(address, length, where);
  // The first bad byte decides, as in Valgrind: unaddressable ones are said as
  // CHECK_MEM_IS_ADDRESSABLE says them.
  auto bad = shadow_.FirstNotDefined(address, length);
  if (!bad) return 0;
  if (!IsAddressable(bad->state)) return CheckMemIsAddressable(address, length, where);
  MemcheckError e;
  e.kind = ErrorKind::ClientCheck;
  e.what = "Uninitialised byte(s) found during client check request";
  e.stack = Intern(where);
  e.aux = DescribeAddress(bad->address, DescriberOf(bad->address), Context());
  AddOrigin(e, OriginOf(bad->address, 1));
  errors_->Report(e);
  return bad->address;
}

namespace {
// Valgrind's answers to GET_VBITS and SET_VBITS.
constexpr uint32_t kVBitsCopied = 1;
constexpr uint32_t kVBitsUnaddressable = 3;

// Both ranges of a GET_VBITS or SET_VBITS request are addressable (and the array in memory).
bool VBitsRangesAddressable(const ShadowMemory& shadow, uint64_t memory_size, uint32_t address,
                            uint32_t vbits, uint32_t length) {
  return !shadow.FirstUnaddressable(address, length) && !shadow.FirstUnaddressable(vbits, length) &&
         uint64_t{vbits} + length <= memory_size;
}
}  // namespace

uint32_t MemoryChecker::GetVBits(std::span<uint8_t> memory, uint32_t address, uint32_t vbits,
                                 uint32_t length) {
  if (!VBitsRangesAddressable(shadow_, memory.size(), address, vbits, length)) {
    return kVBitsUnaddressable;
  }
  for (uint32_t i = 0; i < length; ++i) {
    memory[vbits + i] =
        undef_value_errors() ? static_cast<uint8_t>(shadow_.LoadVBits(address + i, 1)) : 0;
  }
  MakeMemDefined(vbits, length);
  return kVBitsCopied;
}

uint32_t MemoryChecker::SetVBits(std::span<const uint8_t> memory, uint32_t address, uint32_t vbits,
                                 uint32_t length) {
  if (!VBitsRangesAddressable(shadow_, memory.size(), address, vbits, length)) {
    return kVBitsUnaddressable;
  }
  if (!undef_value_errors()) return kVBitsCopied;
  for (uint32_t i = 0; i < length; ++i) shadow_.StoreVBits(address + i, 1, memory[vbits + i]);
  return kVBitsCopied;
}

uint32_t MemoryChecker::CreateBlock(uint32_t address, uint32_t length, std::string description,
                                    const CaptureBacktrace& where) {
  DescribedBlock block{address, length, std::move(description), Intern(where)};
  for (size_t handle = 0; handle < described_.size(); ++handle) {
    if (described_[handle].discarded) {
      described_[handle] = std::move(block);
      return static_cast<uint32_t>(handle);
    }
  }
  described_.push_back(std::move(block));
  return static_cast<uint32_t>(described_.size() - 1);
}

bool MemoryChecker::DiscardBlock(uint32_t handle) {
  if (handle >= described_.size() || described_[handle].discarded) return false;
  described_[handle].discarded = true;
  return true;
}

void MemoryChecker::MallocLikeBlock(uint32_t address, uint32_t size, uint32_t redzone, bool zeroed,
                                    const CaptureBacktrace& where) {
  if (address == 0) return;  // ignored, as Valgrind's header says
  BacktraceId site = Intern(where);
  client_.MallocLike(address, size, redzone, NewBlockState(zeroed), site);
  if (!zeroed) PaintOrigin(address, size, OriginKind::Heap, site);
}

void MemoryChecker::ResizeInPlaceBlock(uint32_t address, uint32_t old_size, uint32_t new_size,
                                       uint32_t redzone, const CaptureBacktrace& where) {
  if (address == 0) return;
  if (!client_.ResizeInPlace(address, old_size, new_size, redzone, Fresh())) {
    ReportBadFree(FreeOutcome{FreeVerdict::InvalidFree, std::nullopt, {}}, address, Intern(where));
    return;
  }
  // The bytes it grew by were created by a heap allocation here, as Valgrind's origin says.
  if (origins_ && new_size > old_size) {
    PaintOrigin(address + old_size, new_size - old_size, OriginKind::Heap, Intern(where));
  }
}

void MemoryChecker::FreeLikeBlock(uint32_t address, const CaptureBacktrace& where) {
  if (address == 0) return;
  if (!client_.IsMallocLike(address) && heap_ && heap_->FindLive(address) != nullptr) {
    // FREELIKE of a malloc'd block: a mismatch, and freed anyway (OnFree reports it).
    OnFree(address, Deallocator::Custom, where);
    return;
  }
  BacktraceId site = Intern(where);
  ReportBadFree(client_.FreeLike(address, site), address, site);
}

void MemoryChecker::CreateMempool(uint32_t pool, uint32_t redzone, bool zeroed, uint32_t flags) {
  client_.CreatePool(pool, redzone, zeroed, flags);
}

void MemoryChecker::DestroyMempool(uint32_t pool, const CaptureBacktrace& where) {
  if (!client_.DestroyPool(pool)) ReportBadPool(pool, where);
}

void MemoryChecker::MempoolAlloc(uint32_t pool, uint32_t address, uint32_t size,
                                 const CaptureBacktrace& where) {
  const ClientBlocks::Pool* p = client_.FindPool(pool);
  if (p == nullptr) return ReportBadPool(pool, where);
  BacktraceId site = Intern(where);
  client_.PoolAlloc(pool, address, size, NewBlockState(p->zeroed), site);
  if (!p->zeroed) PaintOrigin(address, size, OriginKind::Heap, site);
}

void MemoryChecker::MempoolFree(uint32_t pool, uint32_t address, const CaptureBacktrace& where) {
  if (client_.FindPool(pool) == nullptr) return ReportBadPool(pool, where);
  BacktraceId site = Intern(where);
  ReportBadFree(client_.PoolFree(pool, address, site), address, site);
}

void MemoryChecker::MempoolTrim(uint32_t pool, uint32_t address, uint32_t size,
                                const CaptureBacktrace& where) {
  if (client_.FindPool(pool) == nullptr) return ReportBadPool(pool, where);
  client_.PoolTrim(pool, address, size);
}

void MemoryChecker::MoveMempool(uint32_t from, uint32_t to, const CaptureBacktrace& where) {
  if (!client_.MovePool(from, to)) ReportBadPool(from, where);
}

void MemoryChecker::MempoolChange(uint32_t pool, uint32_t from, uint32_t to, uint32_t size,
                                  const CaptureBacktrace& where) {
  if (client_.FindPool(pool) == nullptr) return ReportBadPool(pool, where);
  if (!client_.PoolChange(pool, from, to, size)) {
    ReportBadFree(FreeOutcome{FreeVerdict::InvalidFree, std::nullopt, {}}, from, Intern(where));
  }
}

void MemoryChecker::ReportBadFree(FreeOutcome outcome, uint32_t pointer, BacktraceId site) {
  if (outcome.verdict == FreeVerdict::Mismatched && !options_.show_mismatched_frees) return;
  if (outcome.verdict == FreeVerdict::InvalidFree && !outcome.block) {
    // A client block freed twice is forgotten: describe the pointer by what surrounds it.
    if (const HeapTracker* t = DescriberOf(pointer)) {
      if (auto d = t->Describe(pointer)) outcome.block = d->block;
    }
  }
  if (auto e = BadFreeError(outcome, pointer, Context(), site)) errors_->Report(*e);
}

void MemoryChecker::ReportBadPool(uint32_t pool, const CaptureBacktrace& where) {
  MemcheckError e;
  e.kind = ErrorKind::InvalidMemPool;
  e.what = "Illegal memory pool address";
  e.stack = Intern(where);
  e.aux = DescribeAddress(pool, DescriberOf(pool), Context());
  errors_->Report(e);
}

std::vector<HeapBlock> MemoryChecker::LeakCheckBlocks() const {
  std::vector<HeapBlock> blocks = heap_ ? heap_->LiveBlocks() : std::vector<HeapBlock>{};
  std::vector<HeapBlock> client = client_.LiveBlocks();
  if (client.empty()) return blocks;
  blocks.insert(blocks.end(), client.begin(), client.end());
  // Address order, an outer block before the blocks inside it.
  std::sort(blocks.begin(), blocks.end(), [](const HeapBlock& a, const HeapBlock& b) {
    return a.user_begin != b.user_begin ? a.user_begin < b.user_begin : a.user_size > b.user_size;
  });
  std::vector<HeapBlock> out;
  for (size_t i = 0; i < blocks.size(); ++i) {
    bool holds_another = i + 1 < blocks.size() && blocks[i + 1].user_begin < blocks[i].user_end() &&
                         blocks[i + 1].user_end() <= blocks[i].user_end();
    if (!holds_another) out.push_back(blocks[i]);
  }
  return out;
}

}  // namespace wasmgrind::memcheck
