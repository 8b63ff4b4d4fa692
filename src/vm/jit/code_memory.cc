// CodeMemory: JitRuntime + fault-registry bookkeeping (see code_memory.h).
#include "vm/jit/code_memory.h"

#include <fmt/format.h>

#include "signals/fault_registry.h"

namespace wasmgrind {

CodeBlock& CodeBlock::operator=(CodeBlock&& other) noexcept {
  if (this != &other) {
    Release();
    owner_ = std::move(other.owner_);
    code_ = other.code_;
    size_ = other.size_;
    registered_ = other.registered_;
    other.code_ = nullptr;
    other.size_ = 0;
  }
  return *this;
}

void CodeBlock::Release() {
  if (owner_ != nullptr && code_ != nullptr) owner_->Free(code_, registered_);
  owner_.reset();
  code_ = nullptr;
  size_ = 0;
}

Result<CodeBlock> CodeMemory::Add(asmjit::CodeHolder& code, const void* owner,
                                  const signals::CodeSites* sites) {
  void* fn = nullptr;
  size_t size = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    asmjit::Error err = runtime_.add(&fn, &code);
    if (err != asmjit::kErrorOk) {
      return Error::Make(ErrorKind::Internal, fmt::format("cannot place JIT code: {}",
                                                          asmjit::DebugUtils::errorAsString(err)));
    }
    size = code.codeSize();
  }
  auto begin = reinterpret_cast<uintptr_t>(fn);
  if (owner != nullptr) signals::RegisterCodeRange({begin, begin + size, owner, sites});
  CodeBlock block;
  block.registered_ = owner != nullptr;
  block.owner_ = shared_from_this();
  block.code_ = static_cast<const uint8_t*>(fn);
  block.size_ = size;
  return block;
}

void CodeMemory::Free(const uint8_t* code, bool registered) {
  // Unregister first: once released, the range may be reused by another block.
  if (registered) signals::UnregisterCodeRange(reinterpret_cast<uintptr_t>(code));
  std::lock_guard<std::mutex> lock(mutex_);
  runtime_.release(const_cast<uint8_t*>(code));
}

}  // namespace wasmgrind
