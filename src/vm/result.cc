// Error::ToString: the one-line form of an error used in reports and CLI output.
#include "vm/result.h"

#include <fmt/format.h>

namespace wasmgrind {

std::string Error::ToString() const {
  if (offset) return fmt::format("{} (at offset 0x{:x})", message, *offset);
  return message;
}

}  // namespace wasmgrind
