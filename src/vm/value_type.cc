// Printing of the type vocabulary (value_type.h).
#include "vm/value_type.h"

namespace wasmgrind {

namespace {
std::string JoinTypes(const std::vector<ValType>& types) {
  std::string out = "(";
  for (size_t i = 0; i < types.size(); ++i) {
    if (i != 0) out += ", ";
    out += ValTypeName(types[i]);
  }
  out += ")";
  return out;
}
}  // namespace

std::string FuncType::ToString() const { return JoinTypes(params) + " -> " + JoinTypes(results); }

}  // namespace wasmgrind
