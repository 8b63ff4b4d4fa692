// Global internals. The class is in api.h; its cell is the VMGlobal compiled code reads and
// writes directly (the value at offset 0 in its natural width, see vmval.h).
#pragma once

#include "vm/runtime/api.h"

namespace wasmgrind {

// Usage error unless `v` has type `type` (the check Store::CreateGlobal and Set share).
Result<void> CheckValueType(ValType type, const Value& v, std::string_view what);

}  // namespace wasmgrind
