// FunctionBodyReader: walks one body's instructions with ReadInstr, bounded by the body's end
// so a truncated body never reads into the next function.
#include "vm/decode/function_body_reader.h"

#include "vm/decode/binary_reader.h"
#include "vm/decode/instr_decoder.h"

namespace wasmgrind {

FunctionBodyReader::FunctionBodyReader(const ModuleInfo& module, const FunctionBody& body)
    : module_(module), data_(module.bytes.data()), pos_(body.body_offset), end_(body.body_end) {}

Result<void> FunctionBodyReader::Next(Instr& out) {
  BinaryReader reader(std::span<const uint8_t>(data_, end_), pos_, end_);
  Result<void> result = ReadInstr(reader, module_, out, br_targets_);
  pos_ = static_cast<uint32_t>(reader.position());
  return result;
}

}  // namespace wasmgrind
