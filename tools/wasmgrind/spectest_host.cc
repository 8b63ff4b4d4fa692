// The spectest host module (see spectest_host.h). Values from the reference interpreter's
// spectest.ml: globals 666 / 666.6, table of 10 funcref (max 20), memory 1 page (max 2).
#include "spectest_host.h"

#include <fmt/format.h>

namespace wasmgrind {
namespace {

void PrintValue(std::ostream& out, const Value& v) {
  switch (v.type) {
    case ValType::I32: out << static_cast<int32_t>(v.i32()); break;
    case ValType::I64: out << static_cast<int64_t>(v.i64()); break;
    case ValType::F32: out << fmt::format("{}", v.f32()); break;
    case ValType::F64: out << fmt::format("{}", v.f64()); break;
    default: out << fmt::format("0x{:x}", v.bits); break;
  }
  out << " : " << ValTypeName(v.type) << "\n";
}

void DefinePrint(Store& store, Linker& linker, std::ostream& out, const char* name,
                 std::vector<ValType> params) {
  FuncType type{std::move(params), {}};
  Function* f = store.CreateHostFunction(
      type, [&out](std::span<const Value> args, std::span<Value>) -> Result<void> {
        for (const Value& v : args) PrintValue(out, v);
        out.flush();
        return Ok();
      });
  linker.Define("spectest", name, f);
}

Result<void> DefineGlobal(Store& store, Linker& linker, const char* name, Value value) {
  TRY_ASSIGN(Global * g, store.CreateGlobal(GlobalType{value.type, false}, value));
  linker.Define("spectest", name, g);
  return Ok();
}

}  // namespace

Result<void> DefineSpectest(Store& store, Linker& linker, std::ostream& out) {
  using VT = ValType;
  DefinePrint(store, linker, out, "print", {});
  DefinePrint(store, linker, out, "print_i32", {VT::I32});
  DefinePrint(store, linker, out, "print_i64", {VT::I64});
  DefinePrint(store, linker, out, "print_f32", {VT::F32});
  DefinePrint(store, linker, out, "print_f64", {VT::F64});
  DefinePrint(store, linker, out, "print_i32_f32", {VT::I32, VT::F32});
  DefinePrint(store, linker, out, "print_f64_f64", {VT::F64, VT::F64});

  TRY(DefineGlobal(store, linker, "global_i32", Value::I32(666)));
  TRY(DefineGlobal(store, linker, "global_i64", Value::I64(666)));
  TRY(DefineGlobal(store, linker, "global_f32", Value::F32(666.6f)));
  TRY(DefineGlobal(store, linker, "global_f64", Value::F64(666.6)));

  TRY_ASSIGN(Table * table,
             store.CreateTable(TableType{VT::FuncRef, Limits{10, 20}}, Value::Null(VT::FuncRef)));
  linker.Define("spectest", "table", table);
  TRY_ASSIGN(LinearMemory * memory, store.CreateMemory(MemoryType{Limits{1, 2}}));
  linker.Define("spectest", "memory", memory);
  return Ok();
}

}  // namespace wasmgrind
