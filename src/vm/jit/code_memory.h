// CodeMemory: executable memory for JIT code. It wraps one asmjit::JitRuntime (behind a mutex,
// so several threads may compile at once) and registers every block it hands out with the
// signal layer's FaultRegistry, so that a fault inside JIT code is recognised as a wasm trap.
//
// Invariant: a block is registered for exactly as long as it is mapped; CodeBlock (RAII)
// unregisters and releases it together. Every CodeBlock shares ownership of its CodeMemory, so
// code may outlive the Engine that compiled it (a trap's Error holds its Module, and a caller
// may keep the Error longer than the Engine).
#pragma once

#include <asmjit/core.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>

#include "signals/code_sites.h"
#include "vm/result.h"

namespace wasmgrind {

class CodeMemory;

// One finalized CodeHolder copied into executable memory.
class CodeBlock {
 public:
  CodeBlock() = default;
  CodeBlock(CodeBlock&& other) noexcept { *this = std::move(other); }
  CodeBlock& operator=(CodeBlock&& other) noexcept;
  CodeBlock(const CodeBlock&) = delete;
  CodeBlock& operator=(const CodeBlock&) = delete;
  ~CodeBlock() { Release(); }

  const uint8_t* code() const { return code_; }
  size_t size() const { return size_; }
  bool Contains(uintptr_t pc) const {
    return pc >= reinterpret_cast<uintptr_t>(code_) &&
           pc < reinterpret_cast<uintptr_t>(code_) + size_;
  }
  void Release();

 private:
  friend class CodeMemory;
  std::shared_ptr<CodeMemory> owner_;
  const uint8_t* code_ = nullptr;
  size_t size_ = 0;
  bool registered_ = false;
};

// Create with std::make_shared (blocks keep it alive through shared_from_this).
class CodeMemory : public std::enable_shared_from_this<CodeMemory> {
 public:
  // The fault-registry owner of trampoline code (not a CompiledCode).
  static inline const char kTrampolineTag = 0;
  static constexpr const void* kTrampolineOwner = &kTrampolineTag;

  CodeMemory() = default;
  CodeMemory(const CodeMemory&) = delete;
  CodeMemory& operator=(const CodeMemory&) = delete;

  // The environment every CodeHolder added here must be initialised with.
  const asmjit::Environment& environment() const { return runtime_.environment(); }

  // Relocates and copies `code` (finalized) into executable memory. With a non-null `owner`
  // the range is registered with the fault registry, so FindCodeRange reports `owner` for PCs
  // inside it: the CompiledCode, or kTrampolineOwner for entry trampolines and host stubs
  // (links of the JIT frame chain the fault report walks; a fault in one, a stack overflow in
  // a host stub, is a wasm trap as well). A null owner leaves the range unregistered. `sites`
  // (the block's memory-access sites and function starts, which must outlive the block) tells
  // the signal handler where wasm code may fault.
  Result<CodeBlock> Add(asmjit::CodeHolder& code, const void* owner,
                        const signals::CodeSites* sites = nullptr);

 private:
  friend class CodeBlock;
  void Free(const uint8_t* code, bool registered);

  std::mutex mutex_;
  asmjit::JitRuntime runtime_;
};

}  // namespace wasmgrind
