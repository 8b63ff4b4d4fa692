// TrapKind: why wasm execution stopped. Rows come from traps.def.
#pragma once

#include <cstdint>
#include <string_view>

namespace wasmgrind {

enum class TrapKind : uint8_t {
#define WG_TRAP(name, text) name,
#include "vm/traps.def"
#undef WG_TRAP
};

constexpr std::string_view TrapMessage(TrapKind kind) {
  switch (kind) {
#define WG_TRAP(name, text) \
  case TrapKind::name:      \
    return text;
#include "vm/traps.def"
#undef WG_TRAP
  }
  return "unknown trap";
}

// The enumerator's name ("MemoryOutOfBounds"), for machine-readable reports.
constexpr std::string_view TrapKindName(TrapKind kind) {
  switch (kind) {
#define WG_TRAP(name, text) \
  case TrapKind::name:      \
    return #name;
#include "vm/traps.def"
#undef WG_TRAP
  }
  return "Unknown";
}

}  // namespace wasmgrind
