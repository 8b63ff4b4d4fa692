// Value::ToString: "type:value" text for messages, traces and the spec-test runner.
// Floats print their value and, for NaNs, the raw bits (payloads matter to the spec tests).
#include "vm/value.h"

#include <cmath>

#include <fmt/format.h>

namespace wasmgrind {

std::string Value::ToString() const {
  switch (type) {
    case ValType::I32: return fmt::format("i32:{}", static_cast<int32_t>(i32()));
    case ValType::I64: return fmt::format("i64:{}", static_cast<int64_t>(i64()));
    case ValType::F32:
      if (std::isnan(f32())) return fmt::format("f32:nan(0x{:08x})", i32());
      return fmt::format("f32:{}", f32());
    case ValType::F64:
      if (std::isnan(f64())) return fmt::format("f64:nan(0x{:016x})", bits);
      return fmt::format("f64:{}", f64());
    case ValType::V128: return fmt::format("v128:0x{:016x}{:016x}", high, bits);
    case ValType::FuncRef:
    case ValType::ExternRef:
      if (is_null()) return fmt::format("{}:null", ValTypeName(type));
      return fmt::format("{}:0x{:x}", ValTypeName(type), bits);
  }
  return "?";
}

}  // namespace wasmgrind
