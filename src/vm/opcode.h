// Opcode enum and per-opcode facts, all expanded from opcodes.def.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "vm/value_type.h"

namespace wasmgrind {

enum class Opcode : uint16_t {
#define WG_OPCODE(name, prefix, code, text, imm, sig, access) name,
#include "vm/opcodes.def"
#undef WG_OPCODE
  Count_
};

constexpr uint32_t kOpcodeCount = static_cast<uint32_t>(Opcode::Count_);

// What follows an opcode in the binary.
enum class ImmKind : uint8_t {
  None,
  Block,         // blocktype
  Label,         // labelidx
  BrTable,       // vec(labelidx) labelidx
  Func,          // funcidx
  CallIndirect,  // typeidx tableidx
  Local,         // localidx
  Global,        // globalidx
  Table,         // tableidx
  MemArg,        // align offset
  Memory,        // memidx (a 0x00 byte in 2.0)
  I32,           // i32 (signed LEB128)
  I64,           // i64 (signed LEB128)
  F32,           // 4 raw bytes
  F64,           // 8 raw bytes
  SelectT,       // vec(valtype)
  RefNull,       // reftype
  Data,          // dataidx
  Elem,          // elemidx
  MemoryInit,    // dataidx memidx
  MemoryCopy,    // memidx memidx
  TableInit,     // elemidx tableidx
  TableCopy,     // tableidx tableidx
};

struct OpcodeInfo {
  std::string_view name;  // the enumerator's name
  uint8_t prefix;
  uint32_t code;
  std::string_view text;  // text-format mnemonic
  ImmKind imm;
  std::string_view signature;  // "params:results", "" if polymorphic
  uint8_t access_bytes;        // loads/stores: bytes touched
};

inline constexpr OpcodeInfo kOpcodeInfo[] = {
#define WG_OPCODE(name, prefix, code, text, imm, sig, access) \
  {#name, prefix, code, text, ImmKind::imm, sig, access},
#include "vm/opcodes.def"
#undef WG_OPCODE
};

constexpr const OpcodeInfo& Info(Opcode op) { return kOpcodeInfo[static_cast<uint32_t>(op)]; }
constexpr std::string_view OpcodeText(Opcode op) { return Info(op).text; }

constexpr bool IsLoad(Opcode op) {
  return Info(op).imm == ImmKind::MemArg && !Info(op).signature.empty() &&
         Info(op).signature.back() != ':';
}
constexpr bool IsStore(Opcode op) {
  return Info(op).imm == ImmKind::MemArg && !Info(op).signature.empty() &&
         Info(op).signature.back() == ':';
}

// Maps a signature letter (i, l, f, d) to its value type.
constexpr ValType SigLetterType(char c) {
  switch (c) {
    case 'i': return ValType::I32;
    case 'l': return ValType::I64;
    case 'f': return ValType::F32;
    default: return ValType::F64;
  }
}

// Decoding lookup: opcode for (prefix, code), built once from the table.
std::optional<Opcode> LookupOpcode(uint8_t prefix, uint32_t code);

}  // namespace wasmgrind
