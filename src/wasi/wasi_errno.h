// Errno: the preview1 error code every WASI function returns to the guest, and ErrnoOr<T>,
// the value-or-errno type the WASI layer passes around internally. An errno is data for the
// guest, not a host failure, so it stays out of Result/Error; only proc_exit and broken
// invariants of the embedding become an Error.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <variant>

namespace wasmgrind::wasi {

enum class Errno : uint16_t {
#define WASI_ERRNO(name, value, host) name = value,
#include "wasi_errno.def"
#undef WASI_ERRNO
};

// The preview1 errno for a Linux errno value (unknown values become Io).
Errno ErrnoFromHost(int host_errno);
// The current `errno` of this thread, converted.
Errno LastHostErrno();
std::string_view ErrnoName(Errno e);  // "NOENT", for messages and tests

template <typename T>
class [[nodiscard]] ErrnoOr {
 public:
  ErrnoOr(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  ErrnoOr(Errno error) : v_(std::in_place_index<1>, error) {}  // never Errno::Success

  bool ok() const { return v_.index() == 0; }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  Errno error() const { return ok() ? Errno::Success : std::get<1>(v_); }

 private:
  std::variant<T, Errno> v_;
};

}  // namespace wasmgrind::wasi

#define WASI_CONCAT_INNER(a, b) a##b
#define WASI_CONCAT(a, b) WASI_CONCAT_INNER(a, b)

// WASI_TRY(expr): expr yields an Errno; return it unless it is Success.
#define WASI_TRY(expr)                                                                \
  do {                                                                                \
    ::wasmgrind::wasi::Errno wasi_try_errno_ = (expr);                                \
    if (wasi_try_errno_ != ::wasmgrind::wasi::Errno::Success) return wasi_try_errno_; \
  } while (0)

// WASI_TRY_ASSIGN(lhs, expr): expr yields an ErrnoOr<T>; return its errno or move the value.
#define WASI_TRY_ASSIGN(lhs, expr) WASI_TRY_ASSIGN_IMPL(WASI_CONCAT(wasi_try_, __LINE__), lhs, expr)
#define WASI_TRY_ASSIGN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                         \
  if (!tmp.ok()) return tmp.error();         \
  lhs = std::move(tmp).value()
