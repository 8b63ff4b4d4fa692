// Store: owner of all runtime objects (see store.h) and the entry point for calls from C++
// into wasm. Store::Call checks arguments against the function's type, then either runs a
// host callback directly or enters compiled code through the trap boundary.
#include "vm/runtime/store.h"

#include "vm/runtime/instance.h"
#include "vm/runtime/memcheck_runtime.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "signals/fault_registry.h"
#include "vm/jit/compiled_code.h"
#include "vm/jit/engine.h"
#include "vm/runtime/global.h"
#include "vm/runtime/runtime_access.h"
#include "vm/runtime/trap_boundary.h"
#include "vm/runtime/trap_info_builder.h"
#include "vm/runtime/vmval.h"

namespace wasmgrind {
namespace {

Result<void> CheckArgs(const FuncType& type, std::span<const Value> args) {
  if (args.size() != type.params.size())
    return Error::Make(ErrorKind::Usage,
                       fmt::format("expected {} argument{}, got {}", type.params.size(),
                                   type.params.size() == 1 ? "" : "s", args.size()));
  for (size_t i = 0; i < args.size(); ++i)
    TRY(CheckValueType(type.params[i], args[i], fmt::format("argument {}", i)));
  return Ok();
}

std::vector<Value> ZeroResults(const FuncType& type) {
  std::vector<Value> results;
  for (ValType t : type.results) results.push_back(Value::Zero(t));
  return results;
}

}  // namespace

Store::Store(Engine& engine) : impl_(std::make_unique<Impl>(engine)) {
  impl_->store_context.max_wasm_stack = engine.options().max_wasm_stack;
  // Installed up front so that the first out-of-bounds access already finds the handler.
  signals::InstallHandlers();
}
Store::~Store() = default;

Engine& Store::engine() const { return impl_->engine; }

Function* Store::CreateHostFunction(const FuncType& type, HostCallback callback) {
  auto host = std::make_unique<HostFunctionContext>();
  host->callback = std::move(callback);
  host->type = type;
  host->type_id = impl_->engine.InternType(type);
  Result<const void*> stub = impl_->engine.HostStubFor(host->type_id);
  if (!stub.ok()) {
    // The contract returns a plain pointer; a stub that cannot be generated is a JIT bug, and
    // a null entry would crash later far from the cause.
    fmt::print(stderr, "wasmgrind: internal error: {}\n", stub.error().ToString());
    std::abort();
  }
  host->func_ref.code = *stub;
  host->func_ref.vmctx = reinterpret_cast<VMContext*>(host.get());
  host->func_ref.type_id = host->type_id;
  HostFunctionContext* raw = impl_->Add(impl_->host_contexts, std::move(host));
  return impl_->AddFunction(
      RuntimeAccess::CreateFunction(&raw->type, raw->type_id, &raw->func_ref, nullptr, 0, raw));
}

Result<LinearMemory*> Store::CreateMemory(const MemoryType& type) {
  TRY_ASSIGN(auto memory, RuntimeAccess::CreateMemory(type));
  return impl_->Add(impl_->memories, std::move(memory));
}

Result<Table*> Store::CreateTable(const TableType& type, const Value& init) {
  TRY(CheckValueType(type.elem, init, "table initial value"));
  TRY_ASSIGN(auto table, RuntimeAccess::CreateTable(type, static_cast<uintptr_t>(init.bits),
                                                    impl_->table_budget));
  return impl_->Add(impl_->tables, std::move(table));
}

Result<Global*> Store::CreateGlobal(const GlobalType& type, const Value& init) {
  TRY(CheckValueType(type.type, init, "global initial value"));
  return impl_->Add(impl_->globals, RuntimeAccess::CreateGlobal(type, init));
}

Function* Store::FunctionFromRef(const VMFuncRef* ref) const {
  auto it = impl_->funcs_by_ref.find(ref);
  return it == impl_->funcs_by_ref.end() ? nullptr : it->second;
}

void Store::SetMemcheckFactory(MemcheckFactory factory) {
  impl_->memcheck_factory = std::move(factory);
}

memcheck::MemoryChecker* Store::MemcheckOf(const Instance& instance) {
  const InstanceImpl& inst = RuntimeAccess::State(instance);
  return inst.memcheck ? inst.memcheck->checker.get() : nullptr;
}

uint32_t Store::MemcheckHostCallerSite(const Instance& instance) {
  const InstanceImpl& inst = RuntimeAccess::State(instance);
  if (!inst.memcheck) return memcheck::kNoBacktrace;
  return inst.memcheck->checker->InternBacktrace(McHostCallerBacktrace(inst));
}

std::optional<int> Store::FinishMemcheck(const Instance& instance, int program_status) {
  const InstanceImpl& inst = RuntimeAccess::State(instance);
  if (!inst.memcheck) return std::nullopt;
  return McFinish(inst, program_status);
}

Result<std::vector<Value>> Store::Call(Function* f, std::span<const Value> args) {
  if (f == nullptr) return Error::Make(ErrorKind::Usage, "call of a null function");
  const FuncType& type = f->type();
  TRY(CheckArgs(type, args));
  std::vector<Value> results = ZeroResults(type);
  if (HostFunctionContext* host = RuntimeAccess::HostContext(*f)) {
    TRY(host->callback(args, results));
    return results;
  }
  TRY_ASSIGN(EntryTrampoline trampoline, impl_->engine.EntryTrampolineFor(f->type_id()));
  std::vector<VMVal> values(std::max<size_t>({type.params.size(), type.results.size(), 1}));
  for (size_t i = 0; i < args.size(); ++i) StoreVal(values[i], args[i]);
  const VMFuncRef* ref = f->func_ref();
  TrapRecord record;
  // A wasm function's context starts with the header (vmcontext.h): its shadow segment.
  const uint8_t* segment = reinterpret_cast<const VMContextHeader*>(ref->vmctx)->shadow_segment;
  Result<void> r = CallWasm(&impl_->store_context, trampoline, ref->vmctx, ref->code, values.data(),
                            &record, segment);
  if (!r.ok()) {
    Error error = std::move(r).error();
    AttachTrapInfo(*impl_, record, error);
    return error;
  }
  for (size_t i = 0; i < results.size(); ++i) results[i] = LoadVal(type.results[i], values[i]);
  return results;
}

}  // namespace wasmgrind
