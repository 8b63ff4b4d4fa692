// RuntimeAccess: the runtime's private door into the classes of api.h. Those classes expose
// only the embedding API; constructing them and reaching their internal state (an instance's
// Impl, a store's Impl, a host function's context) goes through these static functions, each
// defined in the .cc of the class it builds. Nothing outside src/vm/runtime includes this.
#pragma once

#include <memory>

#include "vm/runtime/api.h"

namespace wasmgrind {

struct RuntimeAccess {
  // Runtime code names the private Impl structs through these aliases.
  using InstanceImpl = Instance::Impl;
  using StoreImpl = Store::Impl;

  // linear_memory.cc: reserves the whole 32-bit range plus guard and commits `min` pages.
  static Result<std::unique_ptr<LinearMemory>> CreateMemory(const MemoryType& type);
  // table.cc: `min` elements, each set to `init` (a VMFuncRef* or externref word, 0 = null),
  // taken from `budget` (the Store's), which must outlive the table.
  static Result<std::unique_ptr<Table>> CreateTable(const TableType& type, uintptr_t init,
                                                    TableElementBudget& budget);
  // global.cc: `init` must have the global's value type (checked by the caller).
  static std::unique_ptr<Global> CreateGlobal(const GlobalType& type, const Value& init);
  // function.cc
  static std::unique_ptr<Function> CreateFunction(const FuncType* type, uint32_t type_id,
                                                  const VMFuncRef* func_ref, Instance* instance,
                                                  uint32_t func_index, HostFunctionContext* host);
  static HostFunctionContext* HostContext(const Function& f) { return f.host_; }
  static void SetHostObserver(LinearMemory& memory, GuestMemoryObserver* observer) {
    memory.host_observer_ = observer;
  }

  static InstanceImpl& State(const Instance& instance) { return *instance.impl_; }
  static std::unique_ptr<Instance> CreateInstance(std::unique_ptr<InstanceImpl> impl);
  static StoreImpl& State(const Store& store) { return *store.impl_; }
};

using InstanceImpl = RuntimeAccess::InstanceImpl;
using StoreImpl = RuntimeAccess::StoreImpl;

}  // namespace wasmgrind
