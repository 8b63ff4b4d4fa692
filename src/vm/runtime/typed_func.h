// TypedFunc<R(Args...)>: a wasm (or host) function called from C++ with native argument and
// result types. The function's type is checked once, when the TypedFunc is made; each call
// then converts the C++ values and goes through Store::Call (so traps come back as Errors).
//
//   TRY_ASSIGN(auto add, TypedFunc<int32_t(int32_t, int32_t)>::Make(store, f));
//   TRY_ASSIGN(int32_t sum, add(2, 3));
//
// Native types: int32_t/uint32_t -> i32, int64_t/uint64_t -> i64, float -> f32,
// double -> f64. R is void (no results), one native type, or std::tuple<...> (multi-value).
#pragma once

#include <fmt/format.h>

#include <array>
#include <cstring>
#include <tuple>
#include <type_traits>

#include "vm/runtime/api.h"

namespace wasmgrind {

template <typename T>
struct WasmTypeOf;
template <>
struct WasmTypeOf<int32_t> {
  static constexpr ValType kType = ValType::I32;
};
template <>
struct WasmTypeOf<uint32_t> {
  static constexpr ValType kType = ValType::I32;
};
template <>
struct WasmTypeOf<int64_t> {
  static constexpr ValType kType = ValType::I64;
};
template <>
struct WasmTypeOf<uint64_t> {
  static constexpr ValType kType = ValType::I64;
};
template <>
struct WasmTypeOf<float> {
  static constexpr ValType kType = ValType::F32;
};
template <>
struct WasmTypeOf<double> {
  static constexpr ValType kType = ValType::F64;
};

namespace typed_func_detail {

template <typename T>
Value ToValue(T v) {
  Value out = Value::Zero(WasmTypeOf<T>::kType);
  if constexpr (sizeof(T) == 4) {
    uint32_t bits;
    std::memcpy(&bits, &v, 4);
    out.bits = bits;
  } else {
    std::memcpy(&out.bits, &v, 8);
  }
  return out;
}

template <typename T>
T FromValue(const Value& v) {
  T out;
  if constexpr (sizeof(T) == 4) {
    uint32_t bits = v.i32();
    std::memcpy(&out, &bits, 4);
  } else {
    std::memcpy(&out, &v.bits, 8);
  }
  return out;
}

template <typename R>
struct Results {  // one result
  static std::vector<ValType> Types() { return {WasmTypeOf<R>::kType}; }
  static R From(const std::vector<Value>& v) { return FromValue<R>(v[0]); }
};
template <>
struct Results<void> {
  static std::vector<ValType> Types() { return {}; }
};
template <typename... Rs>
struct Results<std::tuple<Rs...>> {
  static std::vector<ValType> Types() { return {WasmTypeOf<Rs>::kType...}; }
  static std::tuple<Rs...> From(const std::vector<Value>& v) {
    return From(v, std::index_sequence_for<Rs...>{});
  }
  template <size_t... I>
  static std::tuple<Rs...> From(const std::vector<Value>& v, std::index_sequence<I...>) {
    return std::tuple<Rs...>(FromValue<Rs>(v[I])...);
  }
};

}  // namespace typed_func_detail

template <typename Sig>
class TypedFunc;

template <typename R, typename... Args>
class TypedFunc<R(Args...)> {
 public:
  // Usage error if `f`'s wasm type is not exactly (Args...) -> R.
  static Result<TypedFunc> Make(Store& store, Function* f) {
    if (f == nullptr) return Error::Make(ErrorKind::Usage, "null function");
    FuncType expected{{WasmTypeOf<Args>::kType...}, typed_func_detail::Results<R>::Types()};
    if (!(f->type() == expected))
      return Error::Make(ErrorKind::Usage, fmt::format("function has type {}, not {}",
                                                       f->type().ToString(), expected.ToString()));
    return TypedFunc(store, f);
  }

  Result<R> operator()(Args... args) const {
    std::array<Value, sizeof...(Args)> values{typed_func_detail::ToValue(args)...};
    auto results = store_->Call(function_, values);
    if (!results.ok()) return std::move(results).error();
    if constexpr (std::is_void_v<R>) {
      return Ok();
    } else {
      return typed_func_detail::Results<R>::From(*results);
    }
  }

  Function* function() const { return function_; }

 private:
  TypedFunc(Store& store, Function* f) : store_(&store), function_(f) {}
  Store* store_;
  Function* function_;
};

}  // namespace wasmgrind
