// Result<T>: the house error-as-value type, shaped like std::expected (clang 14 lacks it).
// Every failure that crosses a module boundary travels as an Error value; nothing here throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "vm/trap.h"

namespace wasmgrind {

struct TrapInfo;  // trap_info.h

enum class ErrorKind : uint8_t {
  Malformed,    // the binary does not decode
  Invalid,      // decodes, but fails validation
  Unlinkable,   // an import cannot be resolved or has the wrong type
  Trap,         // wasm execution trapped (see Error::trap)
  Exit,         // the guest asked to exit (WASI proc_exit); see Error::exit_code
  Io,           // a file could not be read or written
  Usage,        // bad command-line or API usage
  Unsupported,  // a feature we do not implement (yet)
  Internal,     // a bug in wasmgrind (e.g. code generation failed)
};

struct Error {
  ErrorKind kind = ErrorKind::Internal;
  std::string message;
  // Byte offset into the module binary the error refers to, when known.
  std::optional<size_t> offset;
  TrapKind trap = TrapKind::None;  // valid when kind == Trap
  int exit_code = 0;               // valid when kind == Exit
  // For traps from wasm code: where and why, for fault reports (null if unknown).
  std::shared_ptr<const TrapInfo> trap_info;

  static Error Make(ErrorKind k, std::string msg, std::optional<size_t> off = std::nullopt) {
    Error e;
    e.kind = k;
    e.message = std::move(msg);
    e.offset = off;
    return e;
  }
  static Error FromTrap(TrapKind t, std::string detail = {}) {
    Error e;
    e.kind = ErrorKind::Trap;
    e.trap = t;
    e.message = detail.empty() ? std::string(TrapMessage(t)) : std::move(detail);
    return e;
  }
  // "message (at offset 0x1f)" style text for one-line reports.
  std::string ToString() const;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}
  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const& { return *error_; }
  Error&& error() && { return std::move(*error_); }

 private:
  std::optional<Error> error_;
};

inline Result<void> Ok() { return {}; }

}  // namespace wasmgrind

#define WG_CONCAT_INNER(a, b) a##b
#define WG_CONCAT(a, b) WG_CONCAT_INNER(a, b)

// TRY(expr): evaluate a Result<void>-like expression; return its error if it failed.
#define TRY(expr)                                                       \
  do {                                                                  \
    auto&& wg_try_result_ = (expr);                                     \
    if (!wg_try_result_.ok()) return std::move(wg_try_result_).error(); \
  } while (0)

// TRY_ASSIGN(lhs, expr): evaluate a Result<T>; on success move its value into lhs.
#define TRY_ASSIGN(lhs, expr) TRY_ASSIGN_IMPL(WG_CONCAT(wg_try_, __LINE__), lhs, expr)
#define TRY_ASSIGN_IMPL(tmp, lhs, expr)         \
  auto tmp = (expr);                            \
  if (!tmp.ok()) return std::move(tmp).error(); \
  lhs = std::move(tmp).value()
