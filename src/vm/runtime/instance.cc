// Instance: accessors of the embedding API over Instance::Impl (instance.h).
#include "vm/runtime/instance.h"

#include "vm/runtime/memcheck_runtime.h"

#include "vm/runtime/linear_memory.h"
#include "vm/runtime/runtime_call_impls.h"

namespace wasmgrind {

Instance::Impl::Impl(std::shared_ptr<const Module> m, Store* s)
    : module(std::move(m)),
      store(s),
      offsets(module->info()),
      vmctx_storage(new uint8_t[offsets.size()]()) {
  header()->runtime_calls = &kRuntimeCalls;
}

uint32_t Instance::Impl::DataSize(uint32_t data_index) const {
  return data_dropped[data_index] ? 0 : module->info().datas[data_index].data_size;
}

void Instance::Impl::IndexMemoryRanges() {
  using Interval = boost::icl::interval<uintptr_t>::interval_type;
  memory_ranges.clear();
  for (uint32_t i = 0; i < memories.size(); ++i) {
    auto base = reinterpret_cast<uintptr_t>(memories[i]->data());
    memory_ranges += std::make_pair(
        Interval::right_open(base, base + memories[i]->reserved_bytes()), std::set<uint32_t>{i});
  }
}

std::optional<uint32_t> Instance::Impl::MemoryAt(uintptr_t host_address) const {
  auto it = memory_ranges.find(host_address);
  if (it == memory_ranges.end()) return std::nullopt;
  return *it->second.begin();
}

Instance::Impl::~Impl() = default;

std::unique_ptr<Instance> RuntimeAccess::CreateInstance(std::unique_ptr<InstanceImpl> impl) {
  return std::unique_ptr<Instance>(new Instance(std::move(impl)));
}

Instance::Instance(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Instance::~Instance() = default;

const Module& Instance::module() const { return *impl_->module; }
VMContext* Instance::vmctx() const { return impl_->vmctx(); }

std::optional<Extern> Instance::GetExport(std::string_view name) const {
  auto it = impl_->exports.find(name);
  if (it == impl_->exports.end()) return std::nullopt;
  return it->second;
}

Function* Instance::GetFunction(std::string_view name) const {
  std::optional<Extern> e = GetExport(name);
  if (!e || !std::holds_alternative<Function*>(*e)) return nullptr;
  return std::get<Function*>(*e);
}

LinearMemory* Instance::memory(uint32_t index) const {
  return index < impl_->memories.size() ? impl_->memories[index] : nullptr;
}

ExternKind KindOf(const Extern& e) {
  switch (e.index()) {
    case 0: return ExternKind::Func;
    case 1: return ExternKind::Table;
    case 2: return ExternKind::Memory;
    default: return ExternKind::Global;
  }
}

}  // namespace wasmgrind
