// Values as the spec test JSON (wast2json) writes them, and the patterns assert_return expects.
// Numbers arrive as the decimal text of their bits ("1065353216" is f32 1.0); references as
// "null" or a host number. An externref N of the script is Value::ExternRef(N + 1) towards the
// engine, because 0 is the engine's null.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "vm/result.h"
#include "vm/value.h"

namespace wasmgrind {

// Parses a value type name as the JSON spells it ("i32", "funcref", ...).
Result<ValType> ParseWastType(std::string_view name);

// An argument or an exact expected value. `text` is absent only for the "(ref.func)" /
// "(ref.extern)" patterns, which ParseExpectedValue handles.
Result<Value> ParseWastValue(ValType type, std::string_view text);

struct ExpectedValue {
  enum class Kind : uint8_t {
    Exact,          // bit-exact (floats included: a NaN literal names its payload)
    CanonicalNan,   // nan:canonical: the canonical NaN of its type, either sign
    ArithmeticNan,  // nan:arithmetic: any NaN whose quiet bit is set, either sign
    NonNullRef,     // (ref.func) (wast2json: a funcref with any number, or none) and
                    // (ref.extern) with no number: any non-null reference of the type
  };
  Kind kind = Kind::Exact;
  Value value;  // value.type is the expected type for every kind

  bool Matches(const Value& actual) const;
  std::string ToString() const;
};

Result<ExpectedValue> ParseExpectedValue(ValType type, std::optional<std::string_view> text);

// A value for messages: "i32:42", "f32:1.5 (0x3fc00000)", "externref:3", "funcref:null".
// Externrefs are shown as the script's number (host value - 1).
std::string FormatWastValue(const Value& v);

}  // namespace wasmgrind
