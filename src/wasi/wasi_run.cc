// RunWasiCommand: context, store, linking, memory binding, _start, exit-code translation.
// The context is declared before the store so that it outlives every host function call.
#include "wasi_run.h"

#include "wasi_imports.h"

namespace wasmgrind::wasi {

Result<Instance*> InstantiateWithWasi(WasiContext& ctx, Store& store, Linker& linker,
                                      std::shared_ptr<const Module> module) {
  DefineWasiImports(ctx, store, linker);
  // Instantiate may run a start function that already calls WASI; with no memory bound yet
  // those calls see Fault, which is what a module without an exported memory gets too.
  TRY_ASSIGN(Instance * instance, linker.Instantiate(store, std::move(module)));
  std::optional<Extern> memory = instance->GetExport("memory");
  if (memory && std::holds_alternative<LinearMemory*>(*memory)) {
    ctx.BindMemory(std::get<LinearMemory*>(*memory));
  }
  return instance;
}

Result<int> RunWasiCommand(Engine& engine, std::shared_ptr<const Module> module,
                           const WasiOptions& options) {
  TRY_ASSIGN(std::unique_ptr<WasiContext> ctx, WasiContext::Create(options));
  Store store(engine);
  Linker linker;
  TRY_ASSIGN(Instance * instance, InstantiateWithWasi(*ctx, store, linker, std::move(module)));
  if (!instance->GetExport("memory")) {
    return Error::Make(ErrorKind::Unlinkable,
                       "a WASI module must export its linear memory as \"memory\"");
  }
  std::optional<Extern> start_export = instance->GetExport("_start");
  if (!start_export) {
    return Error::Make(ErrorKind::Usage,
                       "the module exports no _start function (not a WASI command)");
  }
  if (KindOf(*start_export) != ExternKind::Func) {
    return Error::Make(ErrorKind::Usage, std::string("the module's _start is a ") +
                                             std::string(ExternKindName(KindOf(*start_export))) +
                                             ", not a function");
  }
  Function* start = std::get<Function*>(*start_export);
  if (start->type() != FuncType{}) {
    return Error::Make(ErrorKind::Usage, "the module's _start has type " +
                                             start->type().ToString() + ", not () -> ()");
  }
  Result<std::vector<Value>> result = store.Call(start, {});
  if (result.ok()) return 0;
  if (result.error().kind == ErrorKind::Exit) return result.error().exit_code;
  return std::move(result).error();
}

}  // namespace wasmgrind::wasi
