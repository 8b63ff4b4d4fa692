// DefineWasiImports: makes every wasi_snapshot_preview1 function importable from a Linker.
#pragma once

#include "vm/result.h"
#include "vm/runtime/api.h"
#include "wasi_context.h"

namespace wasmgrind::wasi {

inline constexpr const char* kWasiModuleName = "wasi_snapshot_preview1";

// Creates one host function per preview1 import in `store` and defines it in `linker`. The
// functions refer to `ctx`, which must outlive every call into instances linked with them.
void DefineWasiImports(WasiContext& ctx, Store& store, Linker& linker);

// The wasm signature of a preview1 import (for tests and diagnostics); nullopt if unknown.
std::optional<FuncType> WasiImportType(std::string_view name);

}  // namespace wasmgrind::wasi
