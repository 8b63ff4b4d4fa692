// CompiledCode: the native code of one module, as produced by CompileModule, plus the maps
// that relate native PCs back to wasm: per function its code range, a PC map and its trap sites.
// Immutable after compilation; shared by every instance of the module.
//
// The code is in one or more blocks (one per compile thread, see module_compiler.h), each
// holding a contiguous range of functions in index order; a function's offsets are relative
// to its own block.
//
// PC map: entries sorted by native offset; an entry covers [native_offset, next entry) of its
// function. There is an entry at least at the start of every memory access, call, and explicit
// trap check, so a faulting PC or a return address maps to the wasm instruction responsible.
// Access sites: every instruction that accesses linear memory, exactly (signals/code_sites.h);
// the signal handler claims a fault in JIT code only at one of them (or on the stack guard).
// Trap sites: every explicit trap (division, conversion, unreachable, table / call_indirect
// checks, the prologue's stack check) has its own out-of-line stub calling wg_rt_Trap;
// `native_offset` is the return address of that call, so wg_rt_Trap can identify its site with
// __builtin_return_address(0).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "signals/code_sites.h"
#include "vm/jit/code_memory.h"
#include "vm/trap.h"

namespace wasmgrind {

struct PcMapEntry {
  uint32_t native_offset = 0;  // from the start of the function's code block
  uint32_t wasm_offset = 0;    // byte offset of the instruction in the module binary
};

struct TrapSite {
  uint32_t native_offset = 0;  // return address of the stub's call to wg_rt_Trap
  TrapKind kind = TrapKind::None;
  uint32_t wasm_offset = 0;
};

struct FunctionCodeInfo {
  uint32_t block = 0;        // which of the module's code blocks holds the function
  uint32_t code_offset = 0;  // entry, from the start of that block
  uint32_t code_size = 0;    // up to the next function (includes its stubs and jump tables)
  bool native_replacement =
      false;               // its body is a call to a libc replacement (libc_replacements.h)
  uint32_t virt_regs = 0;  // large functions: virtual registers after compaction (vreg_compactor.h)
  std::vector<PcMapEntry> pc_map;
  std::vector<TrapSite> trap_sites;  // sorted by native_offset
};

class CompiledCode {
 public:
  CompiledCode() = default;
  CompiledCode(const CompiledCode&) = delete;
  CompiledCode& operator=(const CompiledCode&) = delete;

  // Native entry of defined function `defined_index`, in the wasm calling convention.
  const void* FunctionEntry(uint32_t defined_index) const {
    return CodeBase(defined_index) + functions_[defined_index].code_offset;
  }
  uint32_t num_functions() const { return static_cast<uint32_t>(functions_.size()); }
  const FunctionCodeInfo& function(uint32_t defined_index) const {
    return functions_[defined_index];
  }
  // The start of the block holding the function: its offsets are from here.
  const uint8_t* CodeBase(uint32_t defined_index) const {
    return blocks_[functions_[defined_index].block].code();
  }

  bool Contains(uintptr_t pc) const { return BlockAt(pc) != nullptr; }
  // Bytes from `pc` to the end of its block (0 if not ours): how far code may be read at pc.
  size_t BytesFrom(uintptr_t pc) const;

  // Lookups by absolute PC; nullopt/null if not ours. For a caller frame's return address,
  // look up `return_address - 1` (the call's own bytes): the next instruction's entry may start
  // exactly at the return address.
  std::optional<uint32_t> FunctionAt(uintptr_t pc) const;  // defined index
  std::optional<uint32_t> WasmOffsetAt(uintptr_t pc) const;
  const TrapSite* TrapSiteAt(uintptr_t return_address) const;
  // The memory access whose instruction holds `pc`, or null.
  const signals::AccessSite* AccessSiteAt(uintptr_t pc) const;
  size_t num_access_sites() const;

 private:
  friend class ModuleCompiler;
  const CodeBlock* BlockAt(uintptr_t pc) const;

  // What the signal handler may read of one block (registered with it): its access sites and
  // function starts, and the view of both that the registration points to.
  struct BlockSites {
    std::vector<signals::AccessSite> access_sites;
    std::vector<signals::FunctionStart> functions;
    signals::CodeSites view;
  };

  // By block, with stable addresses. Declared before blocks_, so destroyed after them: a block
  // unregisters before the sites its registration points to go away.
  std::vector<std::unique_ptr<BlockSites>> block_sites_;
  std::vector<CodeBlock> blocks_;
  // Per block, its first function (blocks hold consecutive functions): blocks_[b] holds
  // [first_function_[b], first_function_[b + 1]).
  std::vector<uint32_t> first_function_;
  std::vector<FunctionCodeInfo> functions_;
};

}  // namespace wasmgrind
