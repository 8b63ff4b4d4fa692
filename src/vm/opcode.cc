// LookupOpcode: (prefix, code) -> Opcode, from tables built once out of opcodes.def.
// Single-byte opcodes index a 256-entry array (kSingleByteOpcodes, which the decoder reads
// inline); prefixed ones a small per-prefix array, so decoding an opcode is one load, never a
// search.
#include "vm/opcode.h"

#include <array>

namespace wasmgrind {

namespace {

constexpr uint32_t kMaxPrefixedCode = 256;  // sub-opcodes we know are all below this

// Opcode index by code for one prefix (0: single-byte opcodes), kNoOpcodeIndex where none.
constexpr std::array<uint16_t, 256> IndexByCode(uint8_t prefix) {
  std::array<uint16_t, 256> index{};
  index.fill(kNoOpcodeIndex);
  for (uint32_t i = 0; i < kOpcodeCount; ++i) {
    const OpcodeInfo& info = kOpcodeInfo[i];
    if (info.prefix == prefix && info.code < index.size()) {
      index[info.code] = static_cast<uint16_t>(i);
    }
  }
  return index;
}

constexpr std::array<uint16_t, kMaxPrefixedCode> kFcOpcodes = IndexByCode(0xfc);

}  // namespace

constexpr std::array<uint16_t, 256> kSingleByteOpcodes = IndexByCode(0);

std::optional<Opcode> LookupOpcode(uint8_t prefix, uint32_t code) {
  uint16_t index = kNoOpcodeIndex;
  if (prefix == 0) {
    if (code < kSingleByteOpcodes.size()) index = kSingleByteOpcodes[code];
  } else if (prefix == 0xfc) {
    if (code < kMaxPrefixedCode) index = kFcOpcodes[code];
  }
  if (index == kNoOpcodeIndex) return std::nullopt;
  return static_cast<Opcode>(index);
}

}  // namespace wasmgrind
