// SectionDecoder: the sections that declare the module's entities: types, imports, functions,
// tables, memories, globals, exports, start, data count. Index ranges are not checked here
// (that is validation); only the encoding is.
#include <fmt/format.h>

#include "vm/decode/section_decoder.h"

namespace wasmgrind {

Result<void> SectionDecoder::DecodeTypes() {
  TRY_ASSIGN(uint32_t count, reader_.ReadLength("type count"));
  module_.types.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    const size_t at = reader_.position();
    TRY_ASSIGN(uint8_t form, reader_.ReadU8("function type form"));
    if (form != 0x60) {
      // The spec reads the form as a signed LEB, so a continuation bit is an overlong integer.
      return BinaryReader::MakeError(
          form & 0x80 ? "integer representation too long" : "malformed function type",
          fmt::format("type form 0x{:02x}, expected 0x60", form), at);
    }
    FuncType type;
    TRY_ASSIGN(uint32_t num_params, reader_.ReadLength("parameter count"));
    type.params.reserve(num_params);
    for (uint32_t k = 0; k < num_params; ++k) {
      TRY_ASSIGN(ValType t, reader_.ReadValType("parameter type"));
      type.params.push_back(t);
    }
    TRY_ASSIGN(uint32_t num_results, reader_.ReadLength("result count"));
    type.results.reserve(num_results);
    for (uint32_t k = 0; k < num_results; ++k) {
      TRY_ASSIGN(ValType t, reader_.ReadValType("result type"));
      type.results.push_back(t);
    }
    module_.types.push_back(std::move(type));
  }
  return Ok();
}

Result<Limits> SectionDecoder::ReadLimits(std::string_view what) {
  const size_t at = reader_.position();
  TRY_ASSIGN(uint8_t flags, reader_.ReadU8("limits flags"));
  if (flags > 1) {
    // The spec reads the flags as a LEB128 integer of one bit.
    return BinaryReader::MakeError(
        flags & 0x80 ? "integer representation too long" : "integer too large",
        fmt::format("{} limits flags 0x{:02x}", what, flags), at);
  }
  Limits limits;
  TRY_ASSIGN(uint32_t min, reader_.ReadU32Leb("limits minimum"));
  limits.min = min;
  if (flags & 1) {
    TRY_ASSIGN(uint32_t max, reader_.ReadU32Leb("limits maximum"));
    limits.max = max;
  }
  return limits;
}

Result<TableType> SectionDecoder::ReadTableType() {
  TableType table;
  TRY_ASSIGN(table.elem, reader_.ReadRefType("table element type"));
  TRY_ASSIGN(table.limits, ReadLimits("table"));
  return table;
}

Result<GlobalType> SectionDecoder::ReadGlobalType() {
  GlobalType global;
  TRY_ASSIGN(global.type, reader_.ReadValType("global type"));
  const size_t at = reader_.position();
  TRY_ASSIGN(uint8_t mut, reader_.ReadU8("global mutability"));
  if (mut > 1)
    return BinaryReader::MakeError("malformed mutability", fmt::format("0x{:02x}", mut), at);
  global.is_mutable = mut == 1;
  return global;
}

Result<void> SectionDecoder::DecodeImports() {
  TRY_ASSIGN(uint32_t count, reader_.ReadLength("import count"));
  module_.imports.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    Import import;
    TRY_ASSIGN(import.module, reader_.ReadName("import module name"));
    TRY_ASSIGN(import.name, reader_.ReadName("import field name"));
    const size_t at = reader_.position();
    TRY_ASSIGN(uint8_t kind, reader_.ReadU8("import kind"));
    switch (kind) {
      case 0: {
        import.kind = ExternKind::Func;
        TRY_ASSIGN(import.type_index, reader_.ReadU32Leb("import type index"));
        module_.func_types.push_back(import.type_index);
        ++module_.num_imported_funcs;
        break;
      }
      case 1: {
        import.kind = ExternKind::Table;
        TRY_ASSIGN(import.table, ReadTableType());
        module_.tables.push_back(import.table);
        ++module_.num_imported_tables;
        break;
      }
      case 2: {
        import.kind = ExternKind::Memory;
        TRY_ASSIGN(import.memory.limits, ReadLimits("memory"));
        module_.memories.push_back(import.memory);
        ++module_.num_imported_memories;
        break;
      }
      case 3: {
        import.kind = ExternKind::Global;
        TRY_ASSIGN(import.global, ReadGlobalType());
        module_.globals.push_back(import.global);
        ++module_.num_imported_globals;
        break;
      }
      default:
        return BinaryReader::MakeError("malformed import kind", fmt::format("0x{:02x}", kind), at);
    }
    module_.imports.push_back(std::move(import));
  }
  return Ok();
}

Result<void> SectionDecoder::DecodeFunctions() {
  TRY_ASSIGN(uint32_t count, reader_.ReadLength("function count"));
  module_.func_types.reserve(module_.func_types.size() + count);
  for (uint32_t i = 0; i < count; ++i) {
    TRY_ASSIGN(uint32_t type_index, reader_.ReadU32Leb("function type index"));
    module_.func_types.push_back(type_index);
  }
  declared_function_count_ = count;
  return Ok();
}

Result<void> SectionDecoder::DecodeTables() {
  TRY_ASSIGN(uint32_t count, reader_.ReadLength("table count"));
  for (uint32_t i = 0; i < count; ++i) {
    TRY_ASSIGN(TableType table, ReadTableType());
    module_.tables.push_back(table);
  }
  return Ok();
}

Result<void> SectionDecoder::DecodeMemories() {
  TRY_ASSIGN(uint32_t count, reader_.ReadLength("memory count"));
  for (uint32_t i = 0; i < count; ++i) {
    MemoryType memory;
    TRY_ASSIGN(memory.limits, ReadLimits("memory"));
    module_.memories.push_back(memory);
  }
  return Ok();
}

Result<void> SectionDecoder::DecodeGlobals() {
  TRY_ASSIGN(uint32_t count, reader_.ReadLength("global count"));
  for (uint32_t i = 0; i < count; ++i) {
    TRY_ASSIGN(GlobalType type, ReadGlobalType());
    TRY_ASSIGN(ConstExpr init, ReadConstExpr("global initializer"));
    module_.globals.push_back(type);
    module_.global_inits.push_back(std::move(init));
  }
  return Ok();
}

Result<void> SectionDecoder::DecodeExports() {
  TRY_ASSIGN(uint32_t count, reader_.ReadLength("export count"));
  module_.exports.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    Export e;
    TRY_ASSIGN(e.name, reader_.ReadName("export name"));
    const size_t at = reader_.position();
    TRY_ASSIGN(uint8_t kind, reader_.ReadU8("export kind"));
    if (kind > 3)
      return BinaryReader::MakeError("malformed export kind", fmt::format("0x{:02x}", kind), at);
    e.kind = static_cast<ExternKind>(kind);
    TRY_ASSIGN(e.index, reader_.ReadU32Leb("export index"));
    module_.exports.push_back(std::move(e));
  }
  return Ok();
}

Result<void> SectionDecoder::DecodeStart() {
  TRY_ASSIGN(uint32_t index, reader_.ReadU32Leb("start function index"));
  module_.start = index;
  return Ok();
}

Result<void> SectionDecoder::DecodeDataCount() {
  TRY_ASSIGN(uint32_t count, reader_.ReadU32Leb("data count"));
  module_.data_count = count;
  return Ok();
}

}  // namespace wasmgrind
