// Opcode enum and per-opcode facts, all expanded from opcodes.def.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "vm/value_type.h"

namespace wasmgrind {

enum class Opcode : uint16_t {
#define WG_OPCODE(name, prefix, code, text, imm, sig, access, category, flags, shadow) name,
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

// Which typing rule (function_validator*.cc) and which emitter (jit/emit_*.cc) an instruction
// belongs to. Both dispatch on this column, so they cannot disagree about an instruction.
enum class OpCategory : uint8_t {
  Control,     // unreachable, nop, block, loop, if, else, end, br*, return
  Call,        // call, call_indirect
  Parametric,  // drop, select
  Variable,    // local.*, global.*
  Reference,   // ref.*
  Table,       // table.*, elem.drop
  Memory,      // loads, stores, memory.size, memory.grow
  Bulk,        // memory.init, data.drop, memory.copy, memory.fill
  Constant,    // i32/i64/f32/f64.const
  Integer,     // i32/i64 arithmetic, compares, bit counts, sign extensions
  Float,       // f32/f64 arithmetic and compares
  Conversion,  // wrap, extend_i32, trunc (and trunc_sat), convert, demote, promote, reinterpret
};

// The Flags column: facts about an instruction's control flow that several passes need.
inline constexpr uint8_t kMayTrap = 1 << 0;       // its own code may trap
inline constexpr uint8_t kCallsWasm = 1 << 1;     // calls a wasm function
inline constexpr uint8_t kCallsRuntime = 1 << 2;  // calls into the runtime (runtime_calls.def)
inline constexpr uint8_t kBranches = 1 << 3;      // may not continue at the next instruction,
                                                  // or (loop) is the target of later branches

// The Shadow column: how memcheck's V bits (a set bit: undefined) of an instruction's result
// follow from its operands' (Va, Vb; a, b their values), after Valgrind's and MSan's rules.
enum class ValueShadow : uint8_t {
  Structural,  // not a plain value operation: jit/emit_value_shadows.cc handles it by opcode
  Approx,      // any undefined operand bit makes the whole result undefined
  Left,        // add, sub, mul: Va|Vb smeared towards the high bits (carries): x | -x
  And,         // exact: (Va & Vb) | (Va & b) | (a & Vb): `x & 0` is defined
  Or,          // exact: (Va & Vb) | (Va & ~b) | (~a & Vb): `x | -1` is defined
  Union,       // xor: Va | Vb
  Shift,       // shifts, rotates: Va shifted by b; all undefined if b has an undefined bit
  Divide,      // div, rem: the divisor must be defined (a use); then Approx of the dividend
  Extend,      // wrap, extend_s/u, extendN_s: the same operation on Va
  Identity,    // reinterpret: Va
};

struct OpcodeInfo {
  std::string_view name;  // the enumerator's name
  uint8_t prefix;
  uint32_t code;
  std::string_view text;  // text-format mnemonic
  ImmKind imm;
  std::string_view signature;  // "params:results", "" if polymorphic
  uint8_t access_bytes;        // loads/stores: bytes touched
  OpCategory category;
  uint8_t flags;  // kMayTrap | kCallsWasm | kCallsRuntime | kBranches
  ValueShadow shadow;
};

inline constexpr OpcodeInfo kOpcodeInfo[] = {
#define WG_OPCODE(name, prefix, code, text, imm, sig, access, category, flags, shadow) \
  {#name,        prefix,                                                               \
   code,         text,                                                                 \
   ImmKind::imm, sig,                                                                  \
   access,       OpCategory::category,                                                 \
   flags,        ValueShadow::shadow},
#include "vm/opcodes.def"
#undef WG_OPCODE
};

constexpr const OpcodeInfo& Info(Opcode op) { return kOpcodeInfo[static_cast<uint32_t>(op)]; }
constexpr std::string_view OpcodeText(Opcode op) { return Info(op).text; }
constexpr OpCategory CategoryOf(Opcode op) { return Info(op).category; }
constexpr bool HasFlag(Opcode op, uint8_t flag) { return (Info(op).flags & flag) != 0; }
// block, loop and if: the instructions that open a frame (closed by `end`).
constexpr bool OpensFrame(Opcode op) { return Info(op).imm == ImmKind::Block; }

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

// LookupOpcode(0, byte), inline for the decoder's hot loop: the same map, by byte.
inline constexpr uint16_t kNoOpcodeIndex = 0xffff;
extern const std::array<uint16_t, 256> kSingleByteOpcodes;  // opcode index, or kNoOpcodeIndex
inline std::optional<Opcode> LookupSingleByteOpcode(uint8_t byte) {
  const uint16_t index = kSingleByteOpcodes[byte];
  if (index == kNoOpcodeIndex) return std::nullopt;
  return static_cast<Opcode>(index);
}

}  // namespace wasmgrind
