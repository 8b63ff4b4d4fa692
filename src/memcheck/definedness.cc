// MemoryChecker's uninitialised-value errors and origins (see memory_checker.h): the reports
// JIT code and the host's byte-examining functions make when an undefined value decides
// something, and the origin tags --track-origins keeps for them.
#include <string>

#include "memcheck/memory_checker.h"

namespace wasmgrind::memcheck {

void MemoryChecker::ReportUninit(UninitUse use, uint32_t size, uint32_t origin,
                                 const CaptureBacktrace& where) {
  if (!undef_value_errors()) return;
  MemcheckError e;
  if (use == UninitUse::Condition) {
    e.kind = ErrorKind::UninitCondition;
    e.what = "Conditional jump or move depends on uninitialised value(s)";
  } else {
    e.kind = ErrorKind::UninitValue;
    e.what = "Use of uninitialised value of size " + std::to_string(size);
    e.access_size = size;  // Memcheck:Value<size>
  }
  e.stack = Intern(where);
  AddOrigin(e, origin);
  errors_->Report(e);
}

std::optional<BadByte> MemoryChecker::FirstUndefined(uint64_t address, uint64_t length) const {
  uint64_t end = std::min(address + length, shadow_.size());
  for (uint64_t a = address; a < end;) {
    auto bad = shadow_.FirstNotDefined(a, end - a);
    if (!bad || bad->address >= end) return std::nullopt;
    if (IsAddressable(bad->state)) return bad;
    a = bad->address + 1;  // an unaddressable byte is the addressability check's
  }
  return std::nullopt;
}

bool MemoryChecker::CheckBranchesOn(uint64_t address, uint64_t length,
                                    const CaptureBacktrace& where) {
  if (!undef_value_errors()) return false;
  auto bad = FirstUndefined(address, length);
  if (!bad) return false;
  ReportUninit(UninitUse::Condition, 1, OriginOf(bad->address, 1), where);
  return true;
}

uint32_t MemoryChecker::OriginOf(uint64_t address, uint32_t size) const {
  if (!origins_) return 0;
  uint64_t end = std::min(address + size, shadow_.size());
  for (uint64_t a = address; a < end; ++a) {
    ShadowState s = shadow_.Get(a);
    if (s != ShadowState::Undefined && s != ShadowState::PartlyDefined) continue;
    if (uint32_t origin = origins_->At(a)) return origin;
  }
  return 0;
}

void MemoryChecker::PaintOrigin(uint64_t address, uint64_t length, OriginKind kind,
                                BacktraceId stack) {
  if (!origins_ || stack == kNoBacktrace) return;
  origins_->Paint(address, length, origins_->Intern(Origin{kind, stack}));
}

BacktraceId MemoryChecker::StackOriginSite(const CaptureBacktrace& where) {
  BacktraceId id = Intern(where);
  std::span<const Frame> frames = backtraces_.Get(id);
  if (frames.size() <= 1) return id;
  Frame innermost = frames.front();  // Intern may grow the store and move `frames`
  return backtraces_.Intern(std::span<const Frame>(&innermost, 1));
}

void MemoryChecker::AddOrigin(MemcheckError& e, uint32_t origin) const {
  if (!origins_ || origin == 0) return;
  const Origin& o = origins_->Get(origin);
  e.aux.push_back(AuxLine{OriginPhrase(o.kind), o.stack, true});
}

}  // namespace wasmgrind::memcheck
