// Expected<T>: a value or a one-line error message. memcheck does not depend on the engine's
// core library (it is tested on its own and the JIT depends on it, not the other way round),
// so it carries this small cousin of Result<T>; callers turn the message into their own
// error (the CLI: a usage error, exit status 2).
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace wasmgrind::memcheck {

struct Failure {
  std::string message;
};

inline Failure Fail(std::string message) { return Failure{std::move(message)}; }

template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Expected(Failure failure) : v_(std::in_place_index<1>, std::move(failure.message)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const std::string& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, std::string> v_;
};

template <>
class [[nodiscard]] Expected<void> {
 public:
  Expected() = default;
  Expected(Failure failure) : error_(std::move(failure.message)), failed_(true) {}
  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const std::string& error() const { return error_; }

 private:
  std::string error_;
  bool failed_ = false;
};

}  // namespace wasmgrind::memcheck
