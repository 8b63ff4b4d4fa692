// RunWasiCommand: run a WASI "command" module (one that exports _start) to completion.
// This is what `wasmgrind run` calls.
#pragma once

#include <memory>

#include "vm/result.h"
#include "vm/runtime/api.h"
#include "wasi_context.h"

namespace wasmgrind::wasi {

// Defines the preview1 imports of `ctx` in `linker`, instantiates `module` in `store` and binds
// its exported "memory" (if any: a module without one gets Fault from every call touching
// memory). `ctx` must outlive every call into the instance.
Result<Instance*> InstantiateWithWasi(WasiContext& ctx, Store& store, Linker& linker,
                                      std::shared_ptr<const Module> module);

// Creates a Store, defines the preview1 imports, instantiates `module`, binds its exported
// "memory" and calls "_start". Returns the exit code: 0 if _start returns, the code given to
// proc_exit otherwise (any u32, as an int: mapping it to a process status is the caller's
// business). A trap (or any failure to set up, including a _start that is missing, not a
// function or not () -> (), as Usage) comes back as the Error.
Result<int> RunWasiCommand(Engine& engine, std::shared_ptr<const Module> module,
                           const WasiOptions& options);

}  // namespace wasmgrind::wasi
