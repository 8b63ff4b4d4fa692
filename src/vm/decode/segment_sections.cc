// SectionDecoder: the sections with per-entry payloads: element segments (all eight flag
// forms), code (local declarations; bodies are decoded later by DecodeFunction) and data.
#include <fmt/format.h>

#include "vm/decode/section_decoder.h"

namespace wasmgrind {

namespace {
// Sane cap on a function's declared locals, as other engines have (V8 uses 50000): it bounds
// the validator's and compiler's per-function state.
constexpr uint64_t kMaxLocals = 50000;
}  // namespace

Result<void> SectionDecoder::DecodeElements() {
  TRY_ASSIGN(uint32_t count, reader_.ReadLength("element segment count"));
  module_.elements.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    const size_t at = reader_.position();
    TRY_ASSIGN(uint32_t flags, reader_.ReadU32Leb("element segment flags"));
    if (flags > 7) {
      return BinaryReader::MakeError("malformed elements segment kind",
                                     fmt::format("flags {}", flags), at);
    }
    // Bit 0: passive or declarative; bit 1: explicit table index (active) or declarative;
    // bit 2: items are expressions rather than function indices.
    ElementSegment segment;
    const bool uses_exprs = flags & 4;
    if (!(flags & 1)) {
      segment.mode = SegmentMode::Active;
      if (flags & 2) {
        TRY_ASSIGN(segment.table_index, reader_.ReadU32Leb("element table index"));
      }
      TRY_ASSIGN(segment.offset, ReadConstExpr("element segment offset"));
    } else {
      segment.mode = (flags & 2) ? SegmentMode::Declarative : SegmentMode::Passive;
    }
    if (flags & 3) {
      if (uses_exprs) {
        TRY_ASSIGN(segment.type, reader_.ReadRefType("element reference type"));
      } else {
        const size_t kind_at = reader_.position();
        TRY_ASSIGN(uint8_t kind, reader_.ReadU8("element kind"));
        if (kind != 0) {
          return BinaryReader::MakeError("malformed element kind", fmt::format("0x{:02x}", kind),
                                         kind_at);
        }
      }
    }
    TRY_ASSIGN(uint32_t num_items, reader_.ReadLength("element count"));
    segment.items.reserve(num_items);
    for (uint32_t k = 0; k < num_items; ++k) {
      if (uses_exprs) {
        TRY_ASSIGN(ConstExpr item, ReadConstExpr("element expression"));
        segment.items.push_back(std::move(item));
      } else {
        ConstExpr item;
        item.offset = static_cast<uint32_t>(reader_.position());
        ConstInstr ref;
        ref.op = Opcode::RefFunc;
        ref.type = ValType::FuncRef;
        TRY_ASSIGN(ref.index, reader_.ReadU32Leb("element function index"));
        item.instrs.push_back(ref);
        segment.items.push_back(std::move(item));
      }
    }
    module_.elements.push_back(std::move(segment));
  }
  return Ok();
}

Result<void> SectionDecoder::DecodeCode() {
  const size_t count_at = reader_.position();
  TRY_ASSIGN(uint32_t count, reader_.ReadLength("function body count"));
  if (count != declared_function_count_) {
    return BinaryReader::MakeError(
        "function and code section have inconsistent lengths",
        fmt::format("{} functions declared, {} bodies", declared_function_count_, count), count_at);
  }
  module_.codes.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    TRY_ASSIGN(uint32_t size, reader_.ReadLength("function body size"));
    const size_t begin = reader_.position();
    const size_t end = begin + size;
    // Local declarations may not run past the body.
    BinaryReader body(std::span<const uint8_t>(module_.bytes), begin, end);
    FunctionBody code;
    TRY_ASSIGN(uint32_t num_decls, body.ReadLength("local declaration count"));
    code.locals.reserve(num_decls);
    uint64_t total = 0;
    for (uint32_t k = 0; k < num_decls; ++k) {
      const size_t at = body.position();
      TRY_ASSIGN(uint32_t n, body.ReadU32Leb("local count"));
      total += n;
      if (total > kMaxLocals) {
        return BinaryReader::MakeError("too many locals",
                                       fmt::format("function {} declares more than {} locals",
                                                   module_.num_imported_funcs + i, kMaxLocals),
                                       at);
      }
      TRY_ASSIGN(ValType type, body.ReadValType("local type"));
      if (n != 0) code.locals.push_back(LocalDecl{n, type});
    }
    code.num_locals = static_cast<uint32_t>(total);
    code.body_offset = static_cast<uint32_t>(body.position());
    code.body_end = static_cast<uint32_t>(end);
    module_.codes.push_back(std::move(code));
    reader_.Seek(end);
  }
  return Ok();
}

Result<void> SectionDecoder::DecodeData() {
  const size_t count_at = reader_.position();
  TRY_ASSIGN(uint32_t count, reader_.ReadLength("data segment count"));
  if (module_.data_count && *module_.data_count != count) {
    return BinaryReader::MakeError(
        "data count and data section have inconsistent lengths",
        fmt::format("data count {}, {} segments", *module_.data_count, count), count_at);
  }
  module_.datas.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    const size_t at = reader_.position();
    TRY_ASSIGN(uint32_t flags, reader_.ReadU32Leb("data segment flags"));
    DataSegment segment;
    switch (flags) {
      case 0: {
        TRY_ASSIGN(segment.offset, ReadConstExpr("data segment offset"));
        break;
      }
      case 1: segment.mode = SegmentMode::Passive; break;
      case 2: {
        TRY_ASSIGN(segment.memory_index, reader_.ReadU32Leb("data memory index"));
        TRY_ASSIGN(segment.offset, ReadConstExpr("data segment offset"));
        break;
      }
      default:
        return BinaryReader::MakeError("malformed data segment kind",
                                       fmt::format("flags {}", flags), at);
    }
    TRY_ASSIGN(uint32_t size, reader_.ReadLength("data segment size"));
    segment.data_offset = static_cast<uint32_t>(reader_.position());
    segment.data_size = size;
    TRY(reader_.ReadBytes(size, "data segment bytes"));
    module_.datas.push_back(std::move(segment));
  }
  return Ok();
}

}  // namespace wasmgrind
