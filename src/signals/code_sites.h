// CodeSites: what the signal handler knows about one registered block of JIT code besides its
// address range: where its memory-access instructions are (a fault anywhere else in JIT code is
// wasmgrind's bug, never the guest's) and which function each offset belongs to (for the
// internal-error message). The JIT fills the arrays while it places the code; they are
// immutable while the block is registered, and the lookups below are async-signal-safe
// (binary searches over plain arrays).
#pragma once

#include <cstddef>
#include <cstdint>

namespace wasmgrind::signals {

// One instruction of JIT code that accesses linear memory: [begin, end) are native offsets
// from the start of its code block. The rest describes the access for reports and the memory
// checker; the handler reads only the offsets.
struct AccessSite {
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t wasm_offset = 0;  // the load/store in the module binary
  uint32_t memory = 0;       // memory index
  uint8_t size = 0;          // bytes accessed
  bool is_store = false;
};

struct FunctionStart {
  uint32_t offset = 0;         // native offset of the function's entry in the block
  uint32_t index = 0;          // function index in the module
  const char* name = nullptr;  // from the name section, or null
};

struct CodeSites {
  const AccessSite* access_sites = nullptr;  // sorted by begin, not overlapping
  size_t num_access_sites = 0;
  const FunctionStart* functions = nullptr;  // sorted by offset
  size_t num_functions = 0;
};

// Async-signal-safe. The access site whose instruction starts at or contains `offset`, or null.
const AccessSite* FindAccessSite(const CodeSites& sites, uint32_t offset);
// Async-signal-safe. The function whose code holds `offset` (the last one starting at or
// before it), or null.
const FunctionStart* FindFunctionStart(const CodeSites& sites, uint32_t offset);

}  // namespace wasmgrind::signals
