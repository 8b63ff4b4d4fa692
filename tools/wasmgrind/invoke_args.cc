// Parsing and printing --invoke values (see invoke_args.h).
#include "invoke_args.h"

#include <bit>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>

#include <fmt/format.h>

namespace wasmgrind {
namespace {

Error BadValue(ValType type, std::string_view text) {
  return Error::Make(ErrorKind::Usage, fmt::format("invalid {} argument \"{}\"", ValTypeName(type), text));
}

// An integer of `bits` width: accepts -2^(bits-1) .. 2^bits - 1, returns it as raw bits.
Result<uint64_t> ParseInteger(ValType type, std::string_view text, unsigned bits) {
  std::string_view digits = text;
  bool negative = !digits.empty() && digits.front() == '-';
  if (negative || (!digits.empty() && digits.front() == '+')) digits.remove_prefix(1);
  int base = 10;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    base = 16;
    digits.remove_prefix(2);
  }
  uint64_t magnitude = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) return BadValue(type, text);
  uint64_t max_unsigned = bits == 64 ? UINT64_MAX : (uint64_t{1} << bits) - 1;
  uint64_t max_negative = uint64_t{1} << (bits - 1);
  if (negative ? magnitude > max_negative : magnitude > max_unsigned) return BadValue(type, text);
  uint64_t value = negative ? (~magnitude + 1) : magnitude;
  return bits == 64 ? value : (value & max_unsigned);
}

// The bit layout of a float type, for NaN payloads.
template <typename Float>
struct FloatBits;
template <>
struct FloatBits<float> {
  using Uint = uint32_t;
  static constexpr int kMantissaBits = 23;
};
template <>
struct FloatBits<double> {
  using Uint = uint64_t;
  static constexpr int kMantissaBits = 52;
};

// Formats in the value's own width so that f32 1.1 prints as "1.1", not its double expansion.
// A NaN prints as the text format writes it: "nan" for the canonical NaN (only the quiet bit
// set), "nan:0x<payload>" for any other, so that a payload the program computed is seen.
template <typename Float>
std::string FormatFloat(Float d) {
  using Bits = FloatBits<Float>;
  if (std::isnan(d)) {
    auto payload = std::bit_cast<typename Bits::Uint>(d) &
                   ((typename Bits::Uint{1} << Bits::kMantissaBits) - 1);
    std::string_view sign = std::signbit(d) ? "-" : "";
    if (payload == typename Bits::Uint{1} << (Bits::kMantissaBits - 1))
      return fmt::format("{}nan", sign);
    return fmt::format("{}nan:0x{:x}", sign, payload);
  }
  if (std::isinf(d)) return d < 0 ? "-inf" : "inf";
  return fmt::format("{}", d);
}

// "[+-]nan:0x<hex payload>" (the text format's NaN with a payload): the NaN, or nullopt if
// `text` is not of that form or the payload is 0 or wider than the mantissa.
template <typename Float>
std::optional<Float> ParseNanPayload(std::string_view text) {
  using Bits = FloatBits<Float>;
  using Uint = typename Bits::Uint;
  bool negative = !text.empty() && text.front() == '-';
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) text.remove_prefix(1);
  constexpr std::string_view kPrefix = "nan:0x";
  if (text.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  text.remove_prefix(kPrefix.size());
  Uint payload = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), payload, 16);
  constexpr Uint kMantissaMask = (Uint{1} << Bits::kMantissaBits) - 1;
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || payload == 0 ||
      payload > kMantissaMask)
    return std::nullopt;
  constexpr Uint kExponentMask = ~kMantissaMask & ~(Uint{1} << (sizeof(Uint) * 8 - 1));
  Uint sign = negative ? Uint{1} << (sizeof(Uint) * 8 - 1) : 0;
  return std::bit_cast<Float>(sign | kExponentMask | payload);
}

}  // namespace

Result<Value> ParseCliValue(ValType type, std::string_view text) {
  switch (type) {
    case ValType::I32: {
      TRY_ASSIGN(uint64_t bits, ParseInteger(type, text, 32));
      return Value::I32(static_cast<uint32_t>(bits));
    }
    case ValType::I64: {
      TRY_ASSIGN(uint64_t bits, ParseInteger(type, text, 64));
      return Value::I64(bits);
    }
    case ValType::F32:
    case ValType::F64: {
      if (text.find(':') != std::string_view::npos) {
        if (type == ValType::F32) {
          if (auto f = ParseNanPayload<float>(text)) return Value::F32(*f);
        } else if (auto d = ParseNanPayload<double>(text)) {
          return Value::F64(*d);
        }
        return BadValue(type, text);
      }
      // strtod/strtof: decimal, hex floats, nan, inf, infinity; we require the whole text.
      std::string s(text);
      char* end = nullptr;
      errno = 0;
      if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return BadValue(type, text);
      if (type == ValType::F32) {
        float f = std::strtof(s.c_str(), &end);
        if (end != s.c_str() + s.size()) return BadValue(type, text);
        return Value::F32(f);
      }
      double d = std::strtod(s.c_str(), &end);
      if (end != s.c_str() + s.size()) return BadValue(type, text);
      return Value::F64(d);
    }
    default:
      return Error::Make(ErrorKind::Usage,
                         fmt::format("{} parameters cannot be given on the command line", ValTypeName(type)));
  }
}

Result<std::vector<Value>> ParseCliArgs(std::span<const ValType> types, std::span<const std::string> texts) {
  if (types.size() != texts.size())
    return Error::Make(ErrorKind::Usage,
                       fmt::format("the function takes {} argument(s), {} given", types.size(), texts.size()));
  std::vector<Value> values;
  for (size_t i = 0; i < types.size(); ++i) {
    TRY_ASSIGN(Value v, ParseCliValue(types[i], texts[i]));
    values.push_back(v);
  }
  return values;
}

std::string FormatCliValue(const Value& v) {
  switch (v.type) {
    case ValType::I32: return fmt::format("{}", static_cast<int32_t>(v.i32()));
    case ValType::I64: return fmt::format("{}", static_cast<int64_t>(v.i64()));
    case ValType::F32: return FormatFloat(v.f32());
    case ValType::F64: return FormatFloat(v.f64());
    case ValType::FuncRef:
    case ValType::ExternRef:
      return v.is_null() ? "null" : fmt::format("{}:0x{:x}", ValTypeName(v.type), v.bits);
    case ValType::V128: return fmt::format("0x{:016x}{:016x}", v.high, v.bits);
  }
  return "?";
}

}  // namespace wasmgrind
