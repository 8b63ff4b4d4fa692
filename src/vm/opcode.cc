// LookupOpcode: (prefix, code) -> Opcode, from tables built once out of opcodes.def.
// Single-byte opcodes index a 256-entry array; prefixed ones a small per-prefix array, so
// decoding an opcode is one load, never a search.
#include "vm/opcode.h"

#include <array>

namespace wasmgrind {

namespace {

constexpr uint16_t kNoOpcode = 0xffff;
constexpr uint32_t kMaxPrefixedCode = 256;  // sub-opcodes we know are all below this

struct OpcodeTables {
  std::array<uint16_t, 256> plain;
  std::array<uint16_t, kMaxPrefixedCode> fc;

  constexpr OpcodeTables() : plain(), fc() {
    plain.fill(kNoOpcode);
    fc.fill(kNoOpcode);
    for (uint32_t i = 0; i < kOpcodeCount; ++i) {
      const OpcodeInfo& info = kOpcodeInfo[i];
      if (info.prefix == 0) {
        plain[info.code] = static_cast<uint16_t>(i);
      } else if (info.prefix == 0xfc && info.code < kMaxPrefixedCode) {
        fc[info.code] = static_cast<uint16_t>(i);
      }
    }
  }
};

constexpr OpcodeTables kTables;

}  // namespace

std::optional<Opcode> LookupOpcode(uint8_t prefix, uint32_t code) {
  uint16_t index = kNoOpcode;
  if (prefix == 0) {
    if (code < 256) index = kTables.plain[code];
  } else if (prefix == 0xfc) {
    if (code < kMaxPrefixedCode) index = kTables.fc[code];
  }
  if (index == kNoOpcode) return std::nullopt;
  return static_cast<Opcode>(index);
}

}  // namespace wasmgrind
