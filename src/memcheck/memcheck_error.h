// MemcheckError: one error as the checker records it, before symbolization: its kind, the
// "what" line, the stack where it happened (interned), and the auxiliary lines that explain
// the address ("Address 0x.. is 0 bytes after a block of size 10 alloc'd") with their stacks.
// The JIT's slow path and the runtime's hooks build these (error_builders.h); the
// ErrorManager dedupes, suppresses, counts and prints them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "memcheck/backtrace.h"
#include "memcheck/leak_kind.h"

namespace wasmgrind::memcheck {

enum class ErrorKind : uint8_t {
#define WG_MEMCHECK_ERROR(name, xml, supp) name,
#include "memcheck/error_kinds.def"
#undef WG_MEMCHECK_ERROR
};

const char* ErrorKindXmlName(ErrorKind kind);
// "Addr4", "Free", "Leak", ...: what a suppression's second line names.
std::string SuppressionKindOf(ErrorKind kind, uint32_t access_size);
bool IsLeakKind(ErrorKind kind);
ErrorKind LeakErrorKind(LeakKind kind);
std::optional<LeakKind> LeakKindOf(ErrorKind kind);

// An explanation line and the stack that goes with it (kNoBacktrace: none).
struct AuxLine {
  std::string text;
  BacktraceId stack = kNoBacktrace;
  // A heap block's or an origin's stack, which Valgrind always prints: one not recorded
  // (--keep-stacktraces) prints as its unknown frame, "at 0x0: ???". Other lines with
  // kNoBacktrace have no stack.
  bool stack_always = false;
};

// A loss record's numbers ("24 (8 direct, 16 indirect) bytes in 1 blocks").
struct LeakAmounts {
  uint64_t direct_bytes = 0;
  uint64_t indirect_bytes = 0;
  uint64_t blocks = 0;
  uint32_t record = 0;  // "in loss record <record> of <records>"
  uint32_t records = 0;
};

struct MemcheckError {
  ErrorKind kind = ErrorKind::InvalidRead;
  std::string what;                  // "Invalid write of size 4"
  BacktraceId stack = kNoBacktrace;  // innermost first
  uint32_t access_size = 0;          // Addr/Value kinds: the suppression kind's size
  std::string param;                 // SyscallParam: "fd_write(buf)", a suppression's extra line
  std::vector<AuxLine> aux;
  std::optional<LeakAmounts> leak;  // leak kinds only
};

}  // namespace wasmgrind::memcheck
