// CompileModule: compiles the defined functions of a module, split into contiguous ranges, each
// into its own asmjit CodeHolder (a direct call within a range is a label call; across ranges it
// goes through the callee's VMFuncRef), places them in the Engine's code memory, and resolves
// the PC maps and trap sites into native offsets (see compiled_code.h). Function bodies are walked
// only through DecodeFunction, which validates them in the same pass; a validation error is
// returned as is (kind Invalid or Malformed).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "vm/c_stack.h"
#include "vm/jit/compiled_code.h"
#include "vm/jit/engine.h"
#include "vm/module_info.h"
#include "vm/result.h"

namespace wasmgrind {

// type_ids[i] is the Engine's canonical id of module type i.
// `c_stack`: the C stack to check (c_stack.h); the first form finds it with FindCStack.
Result<std::unique_ptr<CompiledCode>> CompileModule(Engine& engine, const ModuleInfo& module,
                                                    std::span<const uint32_t> type_ids);
Result<std::unique_ptr<CompiledCode>> CompileModule(Engine& engine, const ModuleInfo& module,
                                                    std::span<const uint32_t> type_ids,
                                                    std::optional<CStackRegion> c_stack);

// The CPU features compiled code relies on (SSE4.1, POPCNT, LZCNT, BMI1); an Unsupported
// error names the missing one.
Result<void> CheckCpuFeatures();

}  // namespace wasmgrind
