// The `spectest` host module that the spec test scripts import: print functions, four
// immutable globals, a table and a memory, with the values the reference interpreter uses.
#pragma once

#include <ostream>

#include "vm/result.h"
#include "vm/runtime/api.h"

namespace wasmgrind {

// Creates the spectest externals in `store` and defines them in `linker` under "spectest".
// The print functions write each argument as "<value> : <type>" lines to `out`, as the
// reference interpreter does.
Result<void> DefineSpectest(Store& store, Linker& linker, std::ostream& out);

}  // namespace wasmgrind
