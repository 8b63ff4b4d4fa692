// Store internals: the Store owns every object created in it (instances, functions, host
// contexts, memories, tables, globals) and frees them together when it is destroyed; raw
// pointers handed out stay valid until then. Objects are never freed individually, so a
// funcref value (a VMFuncRef*) can never dangle while its Store lives.
#pragma once

#include <memory>
#include <unordered_map>
#include <vector>

#include "vm/runtime/api.h"
#include "vm/runtime/function.h"
#include "vm/runtime/table.h"

namespace wasmgrind {

struct Store::Impl {
  explicit Impl(Engine& e) : engine(e) {}
  // Instances go first: an instance's checker detaches itself from the memory it observes
  // (memcheck_runtime.h), which must still exist then.
  ~Impl() { instances.clear(); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  Function* AddFunction(std::unique_ptr<Function> f) {
    Function* raw = f.get();
    funcs_by_ref[raw->func_ref()] = raw;
    functions.push_back(std::move(f));
    return raw;
  }
  template <typename T>
  T* Add(std::vector<std::unique_ptr<T>>& list, std::unique_ptr<T> object) {
    list.push_back(std::move(object));
    return list.back().get();
  }

  Engine& engine;
  VMStoreContext store_context;
  TableElementBudget table_budget;  // every table's elements, all tables together
  std::vector<std::unique_ptr<Instance>> instances;
  std::vector<std::unique_ptr<Function>> functions;
  std::vector<std::unique_ptr<HostFunctionContext>> host_contexts;
  std::vector<std::unique_ptr<LinearMemory>> memories;
  std::vector<std::unique_ptr<Table>> tables;
  std::vector<std::unique_ptr<Global>> globals;
  std::unordered_map<const VMFuncRef*, Function*> funcs_by_ref;
  MemcheckFactory memcheck_factory;  // Store::SetMemcheckFactory
};

}  // namespace wasmgrind
