// ValidateModule: WebAssembly 2.0 validation of everything outside function bodies (bodies are
// validated by DecodeFunction as they are compiled). Errors are of kind Invalid, worded like
// the spec interpreter ("unknown type", "type mismatch", "duplicate export name", ...).
#pragma once

#include "vm/module_info.h"
#include "vm/result.h"

namespace wasmgrind {

Result<void> ValidateModule(const ModuleInfo& module);

// Checks one constant expression yields exactly `expected`. Only the first `visible_globals`
// globals may be read (global initializers see just the imported ones).
Result<void> ValidateConstExpr(const ModuleInfo& module, const ConstExpr& expr, ValType expected,
                               uint32_t visible_globals);

}  // namespace wasmgrind
