// DecodeModule: a WebAssembly 2.0 binary into ModuleInfo. Every failure is an Error of kind
// Malformed (Unsupported for SIMD) with the byte offset; validation is ModuleValidator's job,
// and function bodies are decoded later, one at a time, by DecodeFunction.
#pragma once

#include <cstdint>
#include <vector>

#include "vm/module_info.h"
#include "vm/result.h"

namespace wasmgrind {

Result<ModuleInfo> DecodeModule(std::vector<uint8_t> bytes);

}  // namespace wasmgrind
