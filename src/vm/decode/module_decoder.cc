// DecodeModule: the preamble, section framing (ids, sizes, order, uniqueness), custom sections,
// and the cross-section count checks. Section contents are decoded by SectionDecoder
// (module_sections.cc, segment_sections.cc, const_expr_decoder.cc, name_section.cc).
#include "vm/decode/module_decoder.h"

#include <cstring>

#include <fmt/format.h>

#include "vm/decode/section_decoder.h"

namespace wasmgrind {

namespace {

constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6d};
constexpr uint8_t kVersion[4] = {0x01, 0x00, 0x00, 0x00};

enum SectionId : uint8_t {
  kCustom = 0,
  kType = 1,
  kImport = 2,
  kFunction = 3,
  kTable = 4,
  kMemory = 5,
  kGlobal = 6,
  kExport = 7,
  kStart = 8,
  kElement = 9,
  kCode = 10,
  kData = 11,
  kDataCount = 12,
};

// Position of a non-custom section in the required order (DataCount sits before Code).
uint8_t SectionOrder(uint8_t id) {
  switch (id) {
    case kDataCount: return 10;
    case kCode: return 11;
    case kData: return 12;
    default: return id;
  }
}

Result<void> DecodePreamble(BinaryReader& reader) {
  const size_t size = reader.end();
  if (size < 4) return BinaryReader::MakeError("unexpected end", "reading magic header", 0);
  if (std::memcmp(reader.data(), kMagic, 4) != 0) {
    return BinaryReader::MakeError("magic header not detected",
                                   "the file does not start with \\0asm", 0);
  }
  if (size < 8) return BinaryReader::MakeError("unexpected end", "reading binary version", 4);
  if (std::memcmp(reader.data() + 4, kVersion, 4) != 0) {
    return BinaryReader::MakeError("unknown binary version", "only version 1 is supported", 4);
  }
  reader.Seek(8);
  return Ok();
}

Result<void> DecodeCustom(ModuleInfo& module, size_t begin, size_t end) {
  BinaryReader reader(module.bytes, begin, end);
  TRY_ASSIGN(std::string name, reader.ReadName("custom section name"));
  CustomSection custom;
  custom.name = std::move(name);
  custom.data_offset = static_cast<uint32_t>(reader.position());
  custom.data_size = static_cast<uint32_t>(end - reader.position());
  if (custom.name == "name") {
    // Names are advisory: a malformed name section is dropped, never an error.
    NameSection names;
    if (DecodeNameSection(module.bytes, reader.position(), end, names))
      module.names = std::move(names);
  }
  module.customs.push_back(std::move(custom));
  return Ok();
}

Result<void> DecodeSection(SectionDecoder& decoder, uint8_t id) {
  switch (id) {
    case kType: return decoder.DecodeTypes();
    case kImport: return decoder.DecodeImports();
    case kFunction: return decoder.DecodeFunctions();
    case kTable: return decoder.DecodeTables();
    case kMemory: return decoder.DecodeMemories();
    case kGlobal: return decoder.DecodeGlobals();
    case kExport: return decoder.DecodeExports();
    case kStart: return decoder.DecodeStart();
    case kElement: return decoder.DecodeElements();
    case kCode: return decoder.DecodeCode();
    case kData: return decoder.DecodeData();
    case kDataCount: return decoder.DecodeDataCount();
    default: return Error::Make(ErrorKind::Internal, "unhandled section id");
  }
}

// Every function referenced outside function bodies may be the target of `ref.func`.
void ComputeDeclaredFunctions(ModuleInfo& module) {
  module.declared_funcs.assign(module.func_types.size(), false);
  const auto mark_expr = [&](const ConstExpr& expr) {
    for (const ConstInstr& instr : expr.instrs) {
      if (instr.op == Opcode::RefFunc && instr.index < module.declared_funcs.size()) {
        module.declared_funcs[instr.index] = true;
      }
    }
  };
  for (const ConstExpr& init : module.global_inits) mark_expr(init);
  for (const ElementSegment& segment : module.elements) {
    mark_expr(segment.offset);
    for (const ConstExpr& item : segment.items) mark_expr(item);
  }
  for (const DataSegment& segment : module.datas) mark_expr(segment.offset);
  for (const Export& e : module.exports) {
    if (e.kind == ExternKind::Func && e.index < module.declared_funcs.size()) {
      module.declared_funcs[e.index] = true;
    }
  }
}

}  // namespace

Result<ModuleInfo> DecodeModule(std::vector<uint8_t> bytes) {
  ModuleInfo module;
  module.bytes = std::move(bytes);
  BinaryReader reader(module.bytes);
  TRY(DecodePreamble(reader));
  SectionDecoder decoder(module, reader);

  uint8_t last_order = 0;
  uint8_t last_id = 0;
  bool saw_code = false;
  bool saw_data = false;
  while (!reader.AtEnd()) {
    const size_t section_start = reader.position();
    TRY_ASSIGN(uint8_t id, reader.ReadU8("section id"));
    if (id > kDataCount) {
      return BinaryReader::MakeError("malformed section id", fmt::format("section id {}", id),
                                     section_start);
    }
    TRY_ASSIGN(uint32_t size, reader.ReadLength("section size"));
    const size_t begin = reader.position();
    const size_t end = begin + size;
    if (id == kCustom) {
      TRY(DecodeCustom(module, begin, end));
      reader.Seek(end);
      continue;
    }
    if (SectionOrder(id) <= last_order) {
      return BinaryReader::MakeError(
          "unexpected content after last section",
          id == last_id ? fmt::format("duplicate section {}", id)
                        : fmt::format("section {} must come before section {}", id, last_id),
          section_start);
    }
    last_order = SectionOrder(id);
    last_id = id;
    saw_code |= id == kCode;
    if (id == kCode) module.code_section_offset = static_cast<uint32_t>(begin);
    saw_data |= id == kData;
    TRY(DecodeSection(decoder, id));
    if (reader.position() != end) {
      return BinaryReader::MakeError(
          "section size mismatch",
          fmt::format("section {} declares {} bytes but its contents take {}", id, size,
                      reader.position() - begin),
          begin);
    }
  }

  if (!saw_code && decoder.declared_function_count() != 0) {
    return BinaryReader::MakeError(
        "function and code section have inconsistent lengths",
        fmt::format("{} functions declared but no code section", decoder.declared_function_count()),
        reader.position());
  }
  if (!saw_data && module.data_count && *module.data_count != 0) {
    return BinaryReader::MakeError(
        "data count and data section have inconsistent lengths",
        fmt::format("data count is {} but there is no data section", *module.data_count),
        reader.position());
  }
  ComputeDeclaredFunctions(module);
  return module;
}

}  // namespace wasmgrind
