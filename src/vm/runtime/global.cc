// Global: one typed, possibly mutable value in a VMGlobal cell owned by the Global object, so
// that importing instances and compiled code all see the same cell.
#include "vm/runtime/global.h"

#include <string>

#include "vm/runtime/runtime_access.h"
#include "vm/runtime/vmval.h"

namespace wasmgrind {

Result<void> CheckValueType(ValType type, const Value& v, std::string_view what) {
  if (v.type == type) return Ok();
  return Error::Make(ErrorKind::Usage, std::string(what) + ": expected " +
                                           std::string(ValTypeName(type)) + ", got " +
                                           std::string(ValTypeName(v.type)));
}

std::unique_ptr<Global> RuntimeAccess::CreateGlobal(const GlobalType& type, const Value& init) {
  std::unique_ptr<Global> global(new Global(type));
  StoreRaw(global->cell_.bytes, init);
  return global;
}

GlobalType Global::type() const { return type_; }
Value Global::Get() const { return LoadRaw(type_.type, cell_.bytes); }
VMGlobal* Global::definition() { return &cell_; }

Result<void> Global::Set(const Value& v) {
  if (!type_.is_mutable) return Error::Make(ErrorKind::Usage, "global is immutable");
  TRY(CheckValueType(type_.type, v, "global value"));
  StoreRaw(cell_.bytes, v);
  return Ok();
}

}  // namespace wasmgrind
