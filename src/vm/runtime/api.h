// The embedding API: Engine, Module, Store, Instance, the store-owned externals, and Linker.
// This is what tools (the CLI, the spec-test runner, WASI, memcheck) program against.
//
// Ownership: an Engine outlives everything made with it; a Module is shared (compiled code is
// immutable); a Store owns every instance, function, memory, table and global created in it
// and frees them together. Objects are handed out as raw pointers valid for the Store's life.
// A Store is used by one thread at a time; several threads may each run their own Store.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <variant>
#include <vector>

#include "vm/c_stack.h"
#include "vm/module_info.h"
#include "vm/result.h"
#include "vm/value.h"
#include "vm/vmcontext.h"

namespace wasmgrind {

class CompiledCode;  // JIT output for one module (function_compiler.h)
class Engine;
class Store;
class Instance;
class Function;
class LinearMemory;
class GuestMemoryObserver;  // vm/guest_memory_observer.h
class Table;
class TableElementBudget;
class Global;
struct DataSymbol;  // vm/debug/data_symbols.h
// Runtime-internal (runtime_access.h): constructs these classes and reaches their private
// state; nothing outside src/vm/runtime uses it.
struct RuntimeAccess;
struct HostFunctionContext;  // function.h

using Extern = std::variant<Function*, Table*, LinearMemory*, Global*>;
ExternKind KindOf(const Extern& e);

// Host callbacks get the params and fill the results (already sized and typed). Returning an
// error traps the calling wasm code with that error (kind Trap, or Exit for proc_exit).
using HostCallback =
    std::function<Result<void>(std::span<const Value> args, std::span<Value> results)>;

// A module decoded, validated and compiled. Immutable; may be instantiated many times.
class Module {
 public:
  static Result<std::shared_ptr<const Module>> Compile(Engine& engine, std::vector<uint8_t> bytes);
  ~Module();
  const ModuleInfo& info() const;
  Engine& engine() const;
  const CompiledCode& code() const;
  uint32_t type_id(uint32_t type_index) const;  // canonical id of the module's type
  // The C stack the code checks (vm/c_stack.h); under --memcheck its bottom is past the .bss.
  const std::optional<CStackRegion>& c_stack() const;
  // The global variables DWARF places in memory (vm/debug/data_symbols.h), sorted by address;
  // read only when the engine runs memcheck, else empty.
  const std::vector<DataSymbol>& data_symbols() const;

 private:
  Module();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class Linker {
 public:
  void Define(std::string module, std::string name, Extern value);
  // Makes every export of `instance` importable as (module, export name): the spec's `register`.
  void DefineInstance(std::string module, const Instance& instance);
  // Resolves the imports (an error of kind Unlinkable names the import), allocates the
  // instance, applies active segments, runs the start function (a trap there is an error of
  // kind Trap; the spec calls that module uninstantiable).
  Result<Instance*> Instantiate(Store& store, std::shared_ptr<const Module> module) const;

 private:
  std::vector<std::tuple<std::string, std::string, Extern>> defs_;
};

class Instance {
 public:
  const Module& module() const;
  std::optional<Extern> GetExport(std::string_view name) const;
  Function* GetFunction(std::string_view name) const;  // null if absent or not a function
  LinearMemory* memory(uint32_t index) const;          // index space of the module
  VMContext* vmctx() const;

 private:
  friend class Store;
  friend class Linker;
  friend struct RuntimeAccess;
  struct Impl;
  explicit Instance(std::unique_ptr<Impl>);
  std::unique_ptr<Impl> impl_;

 public:
  ~Instance();
};

class Function {
 public:
  const FuncType& type() const;
  uint32_t type_id() const;
  const VMFuncRef* func_ref() const;  // stable; what funcref values point at
  Instance* instance() const;         // null for host functions
  uint32_t func_index() const;        // in its instance's index space (host: 0)

 private:
  friend struct RuntimeAccess;
  Function() = default;
  const FuncType* type_ = nullptr;  // in the instance's ModuleInfo or the host context
  uint32_t type_id_ = 0;
  const VMFuncRef* func_ref_ = nullptr;
  Instance* instance_ = nullptr;
  uint32_t func_index_ = 0;
  HostFunctionContext* host_ = nullptr;  // host functions only; owned by the Store
};

class Global {
 public:
  GlobalType type() const;
  Value Get() const;
  Result<void> Set(const Value& v);  // Usage error if immutable or mistyped
  VMGlobal* definition();

 private:
  friend struct RuntimeAccess;
  explicit Global(GlobalType type) : type_(type) {}
  GlobalType type_;
  VMGlobal cell_;
};

class Table {
 public:
  TableType type() const;
  uint32_t size() const;
  Result<Value> Get(uint32_t index) const;
  Result<void> Set(uint32_t index, const Value& v);
  // Returns the old size; fails past the table's maximum or the Store's limit on the
  // elements of all its tables together (kMaxStoreTableElements, table.h).
  Result<uint32_t> Grow(uint32_t delta, const Value& init);
  VMTableDefinition* definition();

 private:
  friend struct RuntimeAccess;
  Table(TableType type, TableElementBudget* budget) : type_(type), budget_(budget) {}
  void Publish();  // refreshes def_ after elements_ changed size
  TableType type_;
  TableElementBudget* budget_;       // the owning Store's (table.h)
  std::vector<uintptr_t> elements_;  // VMFuncRef* or externref host words; 0 = null
  VMTableDefinition def_;
};

class LinearMemory {
 public:
  MemoryType type() const;
  uint8_t* data() const;
  uint64_t size_bytes() const;
  uint64_t pages() const { return size_bytes() / kWasmPageSize; }
  Result<uint64_t> Grow(uint64_t delta_pages);  // returns the old size in pages
  VMMemoryDefinition* definition();
  // The host range reserved for this memory (base .. base + reserved_bytes), guard included.
  uint64_t reserved_bytes() const;
  // What host code reading or writing this memory for the guest tells (--memcheck's checker
  // of the instance whose memory 0 it is); null when nothing checks it.
  GuestMemoryObserver* host_observer() const { return host_observer_; }

  ~LinearMemory();  // releases the reservation
  LinearMemory(const LinearMemory&) = delete;
  LinearMemory& operator=(const LinearMemory&) = delete;

 private:
  friend struct RuntimeAccess;
  LinearMemory() = default;
  MemoryType type_;
  VMMemoryDefinition def_;  // base = start of the reservation, never moves
  uint64_t reserved_ = 0;
  GuestMemoryObserver* host_observer_ = nullptr;
};

namespace memcheck {
class MemoryChecker;
struct MemoryLayout;
}  // namespace memcheck

// --memcheck: makes the checker of an instance's memory 0 (the tool decides its options, where
// reports go and how frames are named). Called at the instantiation of code compiled with
// EngineOptions::memcheck.
using MemcheckFactory = std::function<Result<std::unique_ptr<memcheck::MemoryChecker>>(
    const Module& module, const memcheck::MemoryLayout& layout)>;

class Store {
 public:
  explicit Store(Engine& engine);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  Engine& engine() const;
  Function* CreateHostFunction(const FuncType& type, HostCallback callback);
  Result<LinearMemory*> CreateMemory(const MemoryType& type);
  Result<Table*> CreateTable(const TableType& type, const Value& init);
  Result<Global*> CreateGlobal(const GlobalType& type, const Value& init);

  // Calls `f` with `args` (checked against its type). A trap comes back as an Error of kind
  // Trap; the store stays usable afterwards. Re-entrant: host callbacks may call back in.
  Result<std::vector<Value>> Call(Function* f, std::span<const Value> args);

  // The Function object for a funcref value (e.g. one read from a table), or null.
  Function* FunctionFromRef(const VMFuncRef* ref) const;

  // See MemcheckFactory. Set before instantiating code compiled for --memcheck.
  void SetMemcheckFactory(MemcheckFactory factory);
  // The checker of `instance`'s memory 0, or null.
  static memcheck::MemoryChecker* MemcheckOf(const Instance& instance);
  // Where the wasm code that called the running host function (a WASI call) is: its backtrace
  // interned in `instance`'s checker (a memcheck::BacktraceId, for a report to show later, as
  // --track-fds shows where a descriptor was opened). 0 (none) without a checker or outside a
  // host call.
  static uint32_t MemcheckHostCallerSite(const Instance& instance);
  // The program of `instance` ended with `program_status`: runs its checker's leak check and
  // summaries and returns the status to exit with; nullopt if it has no checker.
  static std::optional<int> FinishMemcheck(const Instance& instance, int program_status);

 private:
  friend class Linker;
  friend struct RuntimeAccess;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wasmgrind
