// Engine (engine.h): the canonical type registry, code memory and trampoline caches.
//
// Invariants: type ids are dense and never reused; FuncTypes live in a deque so that the
// references TypeOf hands out stay valid while other threads intern new types. Trampolines
// are generated under the lock (rare, and tiny) and live as long as the Engine.
#include "vm/jit/engine.h"

#include <deque>
#include <mutex>
#include <unordered_map>

#include "vm/jit/code_memory.h"
#include "vm/jit/trampoline_compiler.h"
#include "vm/shadow_segment.h"

namespace wasmgrind {
namespace {

struct FuncTypeHash {
  size_t operator()(const FuncType& t) const {
    size_t h = t.params.size() * 31 + t.results.size();
    for (ValType v : t.params) h = h * 131 + static_cast<size_t>(v);
    for (ValType v : t.results) h = h * 137 + static_cast<size_t>(v);
    return h;
  }
};

}  // namespace

struct Engine::Impl {
  EngineOptions options;
  mutable std::mutex mutex;
  std::deque<FuncType> types;
  std::unordered_map<FuncType, uint32_t, FuncTypeHash> ids;
  // Shared with every CodeBlock, which keeps it alive (code_memory.h).
  std::shared_ptr<CodeMemory> code_memory = std::make_shared<CodeMemory>();
  std::unordered_map<uint32_t, CodeBlock> entry_trampolines;
  std::unordered_map<uint32_t, CodeBlock> host_stubs;
};

Engine::Engine(EngineOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  impl_->options.memcheck_shadow_segment =
      options.memcheck && options.memcheck_shadow_segment && ShadowSegmentSupported();
}
const EngineOptions& Engine::options() const { return impl_->options; }
Engine::~Engine() = default;

uint32_t Engine::InternType(const FuncType& type) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  auto it = impl_->ids.find(type);
  if (it != impl_->ids.end()) return it->second;
  auto id = static_cast<uint32_t>(impl_->types.size());
  impl_->types.push_back(type);
  impl_->ids.emplace(type, id);
  return id;
}

const FuncType& Engine::TypeOf(uint32_t type_id) const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->types.at(type_id);
}

Result<EntryTrampoline> Engine::EntryTrampolineFor(uint32_t type_id) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  auto it = impl_->entry_trampolines.find(type_id);
  if (it == impl_->entry_trampolines.end()) {
    TRY_ASSIGN(CodeBlock block,
               jit::CompileEntryTrampoline(*impl_->code_memory, impl_->types.at(type_id)));
    it = impl_->entry_trampolines.emplace(type_id, std::move(block)).first;
  }
  return reinterpret_cast<EntryTrampoline>(const_cast<uint8_t*>(it->second.code()));
}

Result<const void*> Engine::HostStubFor(uint32_t type_id) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  auto it = impl_->host_stubs.find(type_id);
  if (it == impl_->host_stubs.end()) {
    TRY_ASSIGN(CodeBlock block,
               jit::CompileHostStub(*impl_->code_memory, impl_->types.at(type_id)));
    it = impl_->host_stubs.emplace(type_id, std::move(block)).first;
  }
  return static_cast<const void*>(it->second.code());
}

CodeMemory& Engine::code_memory() { return *impl_->code_memory; }

}  // namespace wasmgrind
