// `run --profile=perfmap`: a perf map of the JIT code, so that `perf record` / `perf report`
// name wasm functions instead of bare addresses (Linux perf's JIT interface: perf reads
// /tmp/perf-PID.map, a "START SIZE NAME" line per code range, when it resolves symbols).
#pragma once

#include <filesystem>

#include "symbolizer.h"
#include "vm/result.h"
#include "vm/runtime/api.h"

namespace wasmgrind {

// The path perf reads for this process: /tmp/perf-<pid>.map.
std::filesystem::path PerfMapPath();

// Appends a line for each defined function of `module` (its code up to the next function,
// stubs included), named as the symbolizer names it, to PerfMapPath().
Result<void> WritePerfMap(const Module& module, Symbolizer& symbols);

}  // namespace wasmgrind
