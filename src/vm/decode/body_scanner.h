// Encoding-only walks over function bodies (no typing): used to report a malformed body in
// preference to an invalid one, as the spec does. Internal to the decode layer.
#pragma once

#include <cstddef>

#include "vm/module_info.h"
#include "vm/result.h"

namespace wasmgrind {

// Checks one body decodes and its blocks nest to a final `end` exactly at its end.
Result<void> ScanBodyEncoding(const ModuleInfo& module, const FunctionBody& body);

// The error for a body that ends with `open_frames` blocks (the function's included) open.
// The spec's decoder is not bounded by the body size, so its message depends on the bytes
// after the body; we follow it for the spec tests.
Error MissingEndError(const ModuleInfo& module, uint32_t body_end, size_t open_frames);

}  // namespace wasmgrind
