// SectionDecoder: the state of one DecodeModule run and a method per section. Internal to the
// decode layer; module_decoder.cc frames the sections, the other files decode their contents.
//
// Reads are bounded by the end of the module, not of the section, like the spec interpreter:
// a section whose contents overrun its size is then reported as "section size mismatch" after
// the fact, and counts that do not fit report "length out of bounds".
#pragma once

#include <cstdint>

#include "vm/decode/binary_reader.h"
#include "vm/module_info.h"
#include "vm/result.h"

namespace wasmgrind {

class SectionDecoder {
 public:
  SectionDecoder(ModuleInfo& module, BinaryReader& reader) : module_(module), reader_(reader) {}

  Result<void> DecodeTypes();
  Result<void> DecodeImports();
  Result<void> DecodeFunctions();
  Result<void> DecodeTables();
  Result<void> DecodeMemories();
  Result<void> DecodeGlobals();
  Result<void> DecodeExports();
  Result<void> DecodeStart();
  Result<void> DecodeElements();
  Result<void> DecodeDataCount();
  Result<void> DecodeCode();
  Result<void> DecodeData();

  // Limits with flags 0 (min) or 1 (min, max), u32 values.
  Result<Limits> ReadLimits(std::string_view what);
  Result<TableType> ReadTableType();
  Result<GlobalType> ReadGlobalType();
  // A constant expression up to and including its `end`.
  Result<ConstExpr> ReadConstExpr(std::string_view what);

  uint32_t declared_function_count() const { return declared_function_count_; }

 private:
  ModuleInfo& module_;
  BinaryReader& reader_;
  uint32_t declared_function_count_ = 0;  // entries of the function section
};

// Decodes the payload of a `name` custom section into `names`; false if it is malformed (the
// caller then ignores it).
bool DecodeNameSection(std::span<const uint8_t> bytes, size_t begin, size_t end,
                       NameSection& names);

}  // namespace wasmgrind
