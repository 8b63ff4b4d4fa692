// Error kind names (see memcheck_error.h and error_kinds.def).
#include "memcheck/memcheck_error.h"

namespace wasmgrind::memcheck {

const char* ErrorKindXmlName(ErrorKind kind) {
  switch (kind) {
#define WG_MEMCHECK_ERROR(name, xml, supp) \
  case ErrorKind::name:                    \
    return xml;
#include "memcheck/error_kinds.def"
#undef WG_MEMCHECK_ERROR
  }
  return "?";
}

std::string SuppressionKindOf(ErrorKind kind, uint32_t access_size) {
  // A table, not a switch: several kinds share a suppression kind ("Leak", "Free").
  static constexpr const char* kSuppressionKinds[] = {
#define WG_MEMCHECK_ERROR(name, xml, supp) supp,
#include "memcheck/error_kinds.def"
#undef WG_MEMCHECK_ERROR
  };
  auto index = static_cast<size_t>(kind);
  std::string base = index < std::size(kSuppressionKinds) ? kSuppressionKinds[index] : "";
  if (kind == ErrorKind::InvalidRead || kind == ErrorKind::InvalidWrite ||
      kind == ErrorKind::UninitValue) {
    base += std::to_string(access_size);
  }
  return base;
}

std::optional<LeakKind> LeakKindOf(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::LeakDefinitelyLost: return LeakKind::Definite;
    case ErrorKind::LeakIndirectlyLost: return LeakKind::Indirect;
    case ErrorKind::LeakPossiblyLost: return LeakKind::Possible;
    case ErrorKind::LeakStillReachable: return LeakKind::Reachable;
    default: return std::nullopt;
  }
}

bool IsLeakKind(ErrorKind kind) { return LeakKindOf(kind).has_value(); }

ErrorKind LeakErrorKind(LeakKind kind) {
  switch (kind) {
    case LeakKind::Definite: return ErrorKind::LeakDefinitelyLost;
    case LeakKind::Indirect: return ErrorKind::LeakIndirectlyLost;
    case LeakKind::Possible: return ErrorKind::LeakPossiblyLost;
    case LeakKind::Reachable: return ErrorKind::LeakStillReachable;
  }
  return ErrorKind::LeakDefinitelyLost;
}

}  // namespace wasmgrind::memcheck
