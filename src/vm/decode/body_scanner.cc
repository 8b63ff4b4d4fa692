// Encoding-only body walks and PreferMalformed (see body_scanner.h, decode_function.h).
#include "vm/decode/body_scanner.h"

#include "vm/decode/binary_reader.h"
#include "vm/decode/decode_function.h"
#include "vm/decode/function_body_reader.h"

namespace wasmgrind {

Error MissingEndError(const ModuleInfo& module, uint32_t body_end, size_t open_frames) {
  const std::vector<uint8_t>& bytes = module.bytes;
  if (body_end >= bytes.size()) {
    return BinaryReader::MakeError(kUnexpectedEnd, "function body has no final `end`", body_end);
  }
  if (open_frames == 1 && bytes[body_end] == 0x0b) {
    return BinaryReader::MakeError("section size mismatch", "function body has no final `end`",
                                   body_end);
  }
  return BinaryReader::MakeError("END opcode expected", "function body has no final `end`",
                                 body_end);
}

Result<void> ScanBodyEncoding(const ModuleInfo& module, const FunctionBody& body) {
  FunctionBodyReader reader(module, body);
  Instr instr;
  size_t open_frames = 1;
  while (!reader.AtEnd()) {
    TRY(reader.Next(instr));
    if (open_frames == 0) {
      return BinaryReader::MakeError("section size mismatch",
                                     "instructions after the function's final `end`", instr.offset);
    }
    if (OpensFrame(instr.op)) {
      ++open_frames;
    } else if (instr.op == Opcode::End) {
      --open_frames;
    }
  }
  if (open_frames != 0) return MissingEndError(module, body.body_end, open_frames);
  return Ok();
}

Error PreferMalformed(const ModuleInfo& module, Error error) {
  if (error.kind != ErrorKind::Invalid) return error;
  for (const FunctionBody& body : module.codes) {
    Result<void> scanned = ScanBodyEncoding(module, body);
    if (!scanned.ok() && scanned.error().kind == ErrorKind::Malformed)
      return std::move(scanned).error();
  }
  return error;
}

}  // namespace wasmgrind
