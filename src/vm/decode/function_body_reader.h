// FunctionBodyReader: decodes one instruction at a time (opcode and immediates) from a
// function body. Malformed encodings are errors of kind Malformed naming the byte offset.
#pragma once

#include <vector>

#include "vm/instr.h"
#include "vm/module_info.h"
#include "vm/result.h"

namespace wasmgrind {

class FunctionBodyReader {
 public:
  FunctionBodyReader(const ModuleInfo& module, const FunctionBody& body);
  bool AtEnd() const { return pos_ >= end_; }
  uint32_t position() const { return pos_; }
  // Decodes the next instruction into `out`. `out.br_targets` points into this reader and stays
  // valid until the next call.
  Result<void> Next(Instr& out);

 private:
  const ModuleInfo& module_;
  const uint8_t* data_;
  uint32_t pos_;
  uint32_t end_;
  std::vector<uint32_t> br_targets_;
};

}  // namespace wasmgrind
