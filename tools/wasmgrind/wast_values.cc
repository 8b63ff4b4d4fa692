// Parsing, matching and printing of spec-test values (see wast_values.h).
#include "wast_values.h"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace wasmgrind {
namespace {

constexpr uint32_t kF32SignMask = 0x80000000u;
constexpr uint32_t kF32ExpMask = 0x7f800000u;
constexpr uint32_t kF32QuietBit = 0x00400000u;
constexpr uint64_t kF64SignMask = 0x8000000000000000ull;
constexpr uint64_t kF64ExpMask = 0x7ff0000000000000ull;
constexpr uint64_t kF64QuietBit = 0x0008000000000000ull;

Result<uint64_t> ParseUnsigned(std::string_view text, uint64_t max) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() || v > max)
    return Error::Make(ErrorKind::Usage, fmt::format("bad value \"{}\"", text));
  return v;
}

bool IsNanBits(const Value& v) {
  if (v.type == ValType::F32) {
    uint32_t b = v.i32();
    return (b & kF32ExpMask) == kF32ExpMask && (b & ~(kF32SignMask | kF32ExpMask)) != 0;
  }
  return (v.bits & kF64ExpMask) == kF64ExpMask && (v.bits & ~(kF64SignMask | kF64ExpMask)) != 0;
}

}  // namespace

Result<ValType> ParseWastType(std::string_view name) {
  if (name == "i32") return ValType::I32;
  if (name == "i64") return ValType::I64;
  if (name == "f32") return ValType::F32;
  if (name == "f64") return ValType::F64;
  if (name == "v128") return ValType::V128;
  if (name == "funcref") return ValType::FuncRef;
  if (name == "externref") return ValType::ExternRef;
  return Error::Make(ErrorKind::Unsupported, fmt::format("unknown value type \"{}\"", name));
}

Result<Value> ParseWastValue(ValType type, std::string_view text) {
  switch (type) {
    case ValType::I32:
    case ValType::F32: {
      TRY_ASSIGN(uint64_t bits, ParseUnsigned(text, 0xffffffffu));
      return Value{type, bits, 0};
    }
    case ValType::I64:
    case ValType::F64: {
      TRY_ASSIGN(uint64_t bits, ParseUnsigned(text, UINT64_MAX));
      return Value{type, bits, 0};
    }
    case ValType::FuncRef:
      // The JSON can only name a null funcref; a function has no script-level number.
      if (text == "null") return Value::Null(type);
      return Error::Make(ErrorKind::Unsupported, fmt::format("funcref value \"{}\"", text));
    case ValType::ExternRef: {
      if (text == "null") return Value::Null(type);
      TRY_ASSIGN(uint64_t n, ParseUnsigned(text, UINT64_MAX - 1));
      return Value::ExternRef(n + 1);
    }
    case ValType::V128: break;
  }
  return Error::Make(ErrorKind::Unsupported, "v128 values are not supported (SIMD)");
}

Result<ExpectedValue> ParseExpectedValue(ValType type, std::optional<std::string_view> text) {
  ExpectedValue e;
  e.value = Value::Zero(type);
  if (!text) {
    if (!IsRefType(type))
      return Error::Make(ErrorKind::Usage, fmt::format("{} value without text", ValTypeName(type)));
    e.kind = ExpectedValue::Kind::NonNullRef;
    return e;
  }
  if (IsFloatType(type) && *text == "nan:canonical") {
    e.kind = ExpectedValue::Kind::CanonicalNan;
    return e;
  }
  if (IsFloatType(type) && *text == "nan:arithmetic") {
    e.kind = ExpectedValue::Kind::ArithmeticNan;
    return e;
  }
  if (type == ValType::FuncRef && *text != "null") {
    // wast2json writes the `(ref.func)` pattern as a number; a script cannot name a function
    // instance, so any non-null funcref matches.
    e.kind = ExpectedValue::Kind::NonNullRef;
    return e;
  }
  TRY_ASSIGN(e.value, ParseWastValue(type, *text));
  return e;
}

bool ExpectedValue::Matches(const Value& actual) const {
  if (actual.type != value.type) return false;
  switch (kind) {
    case Kind::Exact: return actual.bits == value.bits && actual.high == value.high;
    case Kind::CanonicalNan:
      if (actual.type == ValType::F32)
        return (actual.i32() & ~kF32SignMask) == (kF32ExpMask | kF32QuietBit);
      return (actual.bits & ~kF64SignMask) == (kF64ExpMask | kF64QuietBit);
    case Kind::ArithmeticNan:
      if (!IsNanBits(actual)) return false;
      if (actual.type == ValType::F32) return (actual.i32() & kF32QuietBit) != 0;
      return (actual.bits & kF64QuietBit) != 0;
    case Kind::NonNullRef: return !actual.is_null();
  }
  return false;
}

std::string ExpectedValue::ToString() const {
  std::string type(ValTypeName(value.type));
  switch (kind) {
    case Kind::Exact: return FormatWastValue(value);
    case Kind::CanonicalNan: return type + ":nan:canonical";
    case Kind::ArithmeticNan: return type + ":nan:arithmetic";
    case Kind::NonNullRef: return type + ":non-null";
  }
  return type;
}

std::string FormatWastValue(const Value& v) {
  switch (v.type) {
    case ValType::I32:
      return fmt::format("i32:{} (0x{:x})", static_cast<int32_t>(v.i32()), v.i32());
    case ValType::I64:
      return fmt::format("i64:{} (0x{:x})", static_cast<int64_t>(v.i64()), v.i64());
    case ValType::F32: return fmt::format("f32:{} (0x{:08x})", v.f32(), v.i32());
    case ValType::F64: return fmt::format("f64:{} (0x{:016x})", v.f64(), v.bits);
    case ValType::V128: return fmt::format("v128:0x{:016x}{:016x}", v.high, v.bits);
    case ValType::FuncRef:
      return v.is_null() ? "funcref:null" : fmt::format("funcref:0x{:x}", v.bits);
    case ValType::ExternRef:
      return v.is_null() ? "externref:null" : fmt::format("externref:{}", v.bits - 1);
  }
  return "?";
}

}  // namespace wasmgrind
