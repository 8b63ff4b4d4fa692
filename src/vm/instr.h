// Instr: one decoded instruction with its immediates, as the FunctionBodyReader hands it to
// the validator and then to every consumer (compiler, disassembler). Consumers never parse
// bytes themselves.
#pragma once

#include <cstdint>
#include <span>

#include "vm/opcode.h"
#include "vm/value_type.h"

namespace wasmgrind {

struct BlockType {
  enum class Kind : uint8_t { Empty, Value, TypeIndex } kind = Kind::Empty;
  ValType value = ValType::I32;  // Kind::Value
  uint32_t type_index = 0;       // Kind::TypeIndex: index into the module's types
};

struct MemArg {
  uint32_t align_log2 = 0;
  uint32_t memory = 0;  // always 0 until multi-memory
  uint64_t offset = 0;  // u32 for memory32; u64 so memory64 slots in
};

struct Instr {
  Opcode op = Opcode::Nop;
  uint32_t offset = 0;  // byte offset of the opcode in the module binary

  // Immediates; which fields are meaningful depends on Info(op).imm.
  uint32_t index = 0;   // label/func/local/global/table/type/data/elem/memory index (first)
  uint32_t index2 = 0;  // second index: call_indirect table, memory.init memory,
                        // memory.copy/table.copy source, table.init table
  uint64_t bits = 0;    // i32/i64 value (sign-extended to 64) or f32/f64 raw bits
  BlockType block;
  MemArg mem;
  ValType type = ValType::I32;  // ref.null heap type, select's single annotated type
  // br_table: targets then the default as the last element. Points into reader-owned
  // storage that stays valid until the next instruction is read.
  std::span<const uint32_t> br_targets;
};

}  // namespace wasmgrind
