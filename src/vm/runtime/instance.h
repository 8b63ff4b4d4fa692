// Instance internals: the per-instance state behind Instance (api.h), shared by
// instantiation, the Linker and the runtime calls.
//
// Invariants: `vmctx` is laid out by `offsets` and lives as long as the Instance (the Store
// keeps even a failed instantiation alive: a segment that trapped may already have put this
// instance's functions into a shared table). The index-space vectors list imports first, and
// point at Store-owned objects. `elements[i]` holds the resolved items of element segment i
// (VMFuncRef* or externref words); dropping a segment empties it. `data_dropped[i]` likewise
// for data segments, whose bytes stay in the ModuleInfo.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/icl/interval_map.hpp>

#include "vm/runtime/api.h"
#include "vm/runtime/runtime_access.h"

namespace wasmgrind {

struct McInstanceState;

struct Instance::Impl {
  Impl(std::shared_ptr<const Module> m, Store* s);
  ~Impl();

  VMContext* vmctx() const { return reinterpret_cast<VMContext*>(vmctx_storage.get()); }
  VMContextHeader* header() const {
    return reinterpret_cast<VMContextHeader*>(vmctx_storage.get());
  }
  // The slot at `offset` (from VMOffsets) viewed as a T.
  template <typename T>
  T* At(uint32_t offset) const {
    return reinterpret_cast<T*>(vmctx_storage.get() + offset);
  }
  uint32_t DataSize(uint32_t data_index) const;
  // Fills memory_ranges from `memories` (once they are all known).
  void IndexMemoryRanges();
  // The index of the memory whose host reservation (base .. base + reservation, guard
  // included) holds `host_address`, or nullopt. For fault reports.
  std::optional<uint32_t> MemoryAt(uintptr_t host_address) const;

  std::shared_ptr<const Module> module;
  Store* store = nullptr;
  VMOffsets offsets;
  std::unique_ptr<uint8_t[]> vmctx_storage;

  std::vector<Function*> functions;
  std::vector<Table*> tables;
  std::vector<LinearMemory*> memories;
  // Host reservation -> memory indices (a memory imported twice has two).
  boost::icl::interval_map<uintptr_t, std::set<uint32_t>> memory_ranges;
  std::vector<Global*> globals;
  std::map<std::string, Extern, std::less<>> exports;

  std::vector<std::vector<uintptr_t>> elements;
  std::vector<bool> data_dropped;
  // --memcheck (memcheck_runtime.h); last, so that it goes first.
  std::unique_ptr<McInstanceState> memcheck;
};

// The instance whose VMContext compiled code passed to a runtime call.
inline InstanceImpl& InstanceState(VMContext* vmctx) {
  auto* header = reinterpret_cast<VMContextHeader*>(vmctx);
  return RuntimeAccess::State(*static_cast<Instance*>(header->instance));
}

// Instantiation proper (instantiate.cc), once the Linker has resolved and type-checked the
// imports (one Extern per import, in order).
Result<Instance*> InstantiateModule(Store& store, std::shared_ptr<const Module> module,
                                    std::vector<Extern> imports);

}  // namespace wasmgrind
