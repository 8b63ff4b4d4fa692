// RichModule: a small module with one entry in nearly every section (types, an imported global,
// a function, table, memory, global, export, element, data count, code, data, name), and
// DecodeAndValidate, the front end's whole verdict on a binary. The corruption tests flip each of
// its bytes and check what every layer makes of the result.
#pragma once

#include "common/wasm_module_builder.h"
#include "vm/decode/decode_function.h"
#include "vm/decode/module_decoder.h"
#include "vm/decode/module_validator.h"

namespace wasmgrind::test {

inline Bytes RichModule() {
  return WasmModuleBuilder()
      .Vec(kTypeSection, 1, FuncTypeEntry({kI32}, {kI32}))
      .Vec(kImportSection, 1, Cat({Name("env"), Name("g"), {0x03, kI32, 0x00}}))
      .Vec(kFunctionSection, 1, {0x00})
      .Vec(kTableSection, 1, {kFuncRef, 0x00, 0x01})
      .Vec(kMemorySection, 1, {0x01, 0x01, 0x02})
      .Vec(kGlobalSection, 1, {kI32, 0x01, 0x23, 0x00, kEnd})
      .Vec(kExportSection, 1, Cat({Name("f"), {0x00, 0x00}}))
      .Vec(kElementSection, 1, {0x00, 0x41, 0x00, kEnd, 0x01, 0x00})
      .Section(kDataCountSection, {0x01})
      .Vec(kCodeSection, 1, CodeEntry({{1, kI64}}, {0x20, 0x00, 0x41, 0x01, 0x6a, kEnd}))
      .Vec(kDataSection, 1, Cat({{0x00, 0x41, 0x00, kEnd}, Name("abc")}))
      .Section(kCustomSection, Cat({Name("name"), {0x00, 0x02, 0x01, 'm'}}))
      .Build();
}

// Decodes `bytes`, validates the module and every function body: Ok for a valid module.
inline Result<void> DecodeAndValidate(const Bytes& bytes) {
  TRY_ASSIGN(ModuleInfo module, DecodeModule(bytes));
  TRY(ValidateModule(module));
  for (uint32_t i = 0; i < module.codes.size(); ++i) TRY(ValidateFunctionBody(module, i));
  return Ok();
}

// The byte values each position of RichModule is replaced with: zero, the largest LEB128 byte
// without continuation, a continuation with no payload, all bits.
inline constexpr uint8_t kCorruptBytes[] = {0x00, 0x7f, 0x80, 0xff};

}  // namespace wasmgrind::test
