// Instruction decoding: opcode lookup, then immediates by ImmKind. Structural immediates that
// the spec treats as malformed (reserved zero bytes, reference type bytes, the data count rule)
// are checked here; index ranges and types are the FunctionValidator's job.
#include "vm/decode/instr_decoder.h"

#include <fmt/format.h>

#include "vm/feature.h"

namespace wasmgrind {

namespace {

// Each opcode's immediate kind in a compact array for the hot loop, so decoding touches it
// instead of the wide OpcodeInfo rows (the opcode itself comes from opcode.h's map).
struct ImmKindTable {
  ImmKind imm[kOpcodeCount];
  constexpr ImmKindTable() : imm() {
    for (uint32_t i = 0; i < kOpcodeCount; ++i) imm[i] = kOpcodeInfo[i].imm;
  }
};
constexpr ImmKindTable kImmKinds;

Result<void> ReadZeroByte(BinaryReader& reader, std::string_view what) {
  const size_t at = reader.position();
  TRY_ASSIGN(uint8_t byte, reader.ReadU8(what));
  if (byte != 0) {
    return BinaryReader::MakeError("zero byte expected", fmt::format("{} is 0x{:02x}", what, byte),
                                   at);
  }
  return Ok();
}

Result<void> ReadBlockType(BinaryReader& reader, BlockType& block) {
  const size_t at = reader.position();
  TRY_ASSIGN(uint8_t byte, reader.PeekU8("block type"));
  if (byte == 0x40) {
    reader.Seek(at + 1);
    block.kind = BlockType::Kind::Empty;
    return Ok();
  }
  if (auto t = DecodeValType(byte)) {
    reader.Seek(at + 1);
    block.kind = BlockType::Kind::Value;
    block.value = *t;
    return Ok();
  }
  if (byte == 0x7b) {
    TRY(reader.ReadValType("block type"));  // reports SIMD as unsupported
  }
  TRY_ASSIGN(int64_t index, reader.ReadS33Leb("block type index"));
  if (index < 0) {
    return BinaryReader::MakeError("malformed value type", fmt::format("block type 0x{:02x}", byte),
                                   at);
  }
  block.kind = BlockType::Kind::TypeIndex;
  block.type_index = static_cast<uint32_t>(index);
  return Ok();
}

// The spec makes a missing data count section malformed when a body uses memory.init or
// data.drop. Without any data segments the index is out of range anyway, and the tests built
// by wast2json (which omits the section then) expect "unknown data segment": the validator
// reports that.
Result<void> RequireDataCount(const ModuleInfo& module, size_t at) {
  if (!module.data_count && !module.datas.empty()) {
    return BinaryReader::MakeError("data count section required",
                                   "memory.init and data.drop need a data count section", at);
  }
  return Ok();
}

}  // namespace

Result<void> ReadInstr(BinaryReader& reader, const ModuleInfo& module, Instr& out,
                       std::vector<uint32_t>& br_targets) {
  const size_t at = reader.position();
  out.offset = static_cast<uint32_t>(at);
  TRY_ASSIGN(uint8_t byte, reader.ReadU8("opcode"));
  Opcode op;
  if (std::optional<Opcode> plain = LookupSingleByteOpcode(byte)) {
    op = *plain;
  } else if (byte == 0xfc) {
    TRY_ASSIGN(uint32_t code, reader.ReadU32Leb("0xfc sub-opcode"));
    std::optional<Opcode> prefixed = LookupOpcode(0xfc, code);
    if (!prefixed) {
      return BinaryReader::MakeError("illegal opcode", fmt::format("0xfc 0x{:x}", code), at);
    }
    op = *prefixed;
  } else if (std::optional<Feature> feature = UnsupportedFeatureOfPrefix(byte)) {
    return UnsupportedFeatureError(*feature, fmt::format("opcode prefix 0x{:02x}", byte), at);
  } else {
    return BinaryReader::MakeError("illegal opcode", fmt::format("0x{:02x}", byte), at);
  }
  out.op = op;

  switch (kImmKinds.imm[static_cast<uint32_t>(op)]) {
    case ImmKind::None: break;
    case ImmKind::Block: TRY(ReadBlockType(reader, out.block)); break;
    case ImmKind::Label:
    case ImmKind::Func:
    case ImmKind::Local:
    case ImmKind::Global:
    case ImmKind::Table:
    case ImmKind::Elem: {
      TRY_ASSIGN(out.index, reader.ReadU32Leb(Info(op).text));
      break;
    }
    case ImmKind::Data: {
      TRY(RequireDataCount(module, at));
      TRY_ASSIGN(out.index, reader.ReadU32Leb("data index"));
      break;
    }
    case ImmKind::BrTable: {
      TRY_ASSIGN(uint32_t count, reader.ReadLength("br_table target count"));
      br_targets.clear();
      br_targets.reserve(count + 1);
      for (uint32_t i = 0; i <= count; ++i) {  // the targets, then the default
        TRY_ASSIGN(uint32_t depth, reader.ReadU32Leb("br_table target"));
        br_targets.push_back(depth);
      }
      out.br_targets = std::span<const uint32_t>(br_targets);
      break;
    }
    case ImmKind::CallIndirect: {
      TRY_ASSIGN(out.index, reader.ReadU32Leb("call_indirect type index"));
      TRY_ASSIGN(out.index2, reader.ReadU32Leb("call_indirect table index"));
      break;
    }
    case ImmKind::MemArg: {
      TRY_ASSIGN(out.mem.align_log2, reader.ReadU32Leb("memarg alignment"));
      TRY_ASSIGN(uint32_t offset, reader.ReadU32Leb("memarg offset"));
      out.mem.offset = offset;
      out.mem.memory = 0;
      break;
    }
    case ImmKind::Memory:
      TRY(ReadZeroByte(reader, "memory index"));
      out.index = 0;
      break;
    case ImmKind::I32: {
      TRY_ASSIGN(int32_t v, reader.ReadS32Leb("i32 constant"));
      out.bits = static_cast<uint64_t>(static_cast<int64_t>(v));
      break;
    }
    case ImmKind::I64: {
      TRY_ASSIGN(int64_t v, reader.ReadS64Leb("i64 constant"));
      out.bits = static_cast<uint64_t>(v);
      break;
    }
    case ImmKind::F32: {
      TRY_ASSIGN(uint32_t v, reader.ReadF32("f32 constant"));
      out.bits = v;
      break;
    }
    case ImmKind::F64: {
      TRY_ASSIGN(out.bits, reader.ReadF64("f64 constant"));
      break;
    }
    case ImmKind::SelectT: {
      // 2.0 allows exactly one type; the count is kept in `index` so that the validator can
      // report other arities as invalid (the spec makes that a validation error).
      TRY_ASSIGN(uint32_t count, reader.ReadLength("select type count"));
      out.index = count;
      for (uint32_t i = 0; i < count; ++i) {
        TRY_ASSIGN(ValType t, reader.ReadValType("select type"));
        if (i == 0) out.type = t;
      }
      break;
    }
    case ImmKind::RefNull: {
      TRY_ASSIGN(out.type, reader.ReadRefType("ref.null type"));
      break;
    }
    case ImmKind::MemoryInit: {
      TRY(RequireDataCount(module, at));
      TRY_ASSIGN(out.index, reader.ReadU32Leb("memory.init data index"));
      TRY(ReadZeroByte(reader, "memory index"));
      out.index2 = 0;
      break;
    }
    case ImmKind::MemoryCopy:
      TRY(ReadZeroByte(reader, "destination memory index"));
      TRY(ReadZeroByte(reader, "source memory index"));
      out.index = 0;
      out.index2 = 0;
      break;
    case ImmKind::TableInit: {
      TRY_ASSIGN(out.index, reader.ReadU32Leb("table.init element index"));
      TRY_ASSIGN(out.index2, reader.ReadU32Leb("table.init table index"));
      break;
    }
    case ImmKind::TableCopy: {
      TRY_ASSIGN(out.index, reader.ReadU32Leb("table.copy destination table"));
      TRY_ASSIGN(out.index2, reader.ReadU32Leb("table.copy source table"));
      break;
    }
  }
  return Ok();
}

}  // namespace wasmgrind
