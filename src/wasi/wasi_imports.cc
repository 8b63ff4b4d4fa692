// The bridge between the embedding API and the typed handlers of wasi_functions.h: for each
// handler, the FuncType is derived from its C++ parameter types and a HostCallback unpacks
// the wasm arguments into them and packs the errno into the i32 result.
// proc_exit is the one import that does not return an errno: it ends the program by
// returning an Error of kind Exit, which unwinds the guest to the caller of Store::Call.
#include "wasi_imports.h"

#include <cstdint>
#include <utility>

#include "wasi_functions.h"

namespace wasmgrind::wasi {
namespace {

template <typename T>
constexpr ValType WasmTypeOf() {
  static_assert(std::is_same_v<T, uint32_t> || std::is_same_v<T, uint64_t>);
  return std::is_same_v<T, uint32_t> ? ValType::I32 : ValType::I64;
}

template <typename T>
T FromValue(const Value& v) {
  if constexpr (std::is_same_v<T, uint32_t>)
    return v.i32();
  else
    return v.i64();
}

template <typename... Params>
using Handler = Errno (*)(WasiContext&, Params...);

template <typename... Params>
FuncType TypeOfHandler(Handler<Params...>) {
  return FuncType{{WasmTypeOf<Params>()...}, {ValType::I32}};
}

template <typename... Params, size_t... I>
Errno Invoke(Handler<Params...> fn, WasiContext& ctx, [[maybe_unused]] std::span<const Value> args,
             std::index_sequence<I...>) {
  return fn(ctx, FromValue<Params>(args[I])...);
}

template <typename... Params>
HostCallback CallbackOf(Handler<Params...> fn, WasiContext& ctx, std::string_view name) {
  WasiContext* c = &ctx;
  return [fn, c, name](std::span<const Value> args, std::span<Value> results) -> Result<void> {
    c->set_current_call(name);
    Errno e = Invoke(fn, *c, args, std::index_sequence_for<Params...>{});
    results[0] = Value::I32(static_cast<uint16_t>(e));
    return Ok();
  };
}

const FuncType kProcExitType{{ValType::I32}, {}};

Result<void> ProcExit(std::span<const Value> args, std::span<Value>) {
  Error e = Error::Make(ErrorKind::Exit, "proc_exit(" + std::to_string(args[0].i32()) + ")");
  e.exit_code = static_cast<int>(args[0].i32());
  return e;
}

}  // namespace

void DefineWasiImports(WasiContext& ctx, Store& store, Linker& linker) {
#define WASI_DEFINE(name, handler) \
  linker.Define(                   \
      kWasiModuleName, #name,      \
      store.CreateHostFunction(TypeOfHandler(&handler), CallbackOf(&handler, ctx, #name)));
  WASI_FUNCTIONS(WASI_DEFINE)
#undef WASI_DEFINE
  linker.Define(kWasiModuleName, "proc_exit", store.CreateHostFunction(kProcExitType, ProcExit));
}

std::optional<FuncType> WasiImportType(std::string_view name) {
#define WASI_TYPE(wasi_name, handler) \
  if (name == #wasi_name) return TypeOfHandler(&handler);
  WASI_FUNCTIONS(WASI_TYPE)
#undef WASI_TYPE
  if (name == "proc_exit") return kProcExitType;
  return std::nullopt;
}

}  // namespace wasmgrind::wasi
