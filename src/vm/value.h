// Value: a typed wasm value as the embedding API passes it. Floats travel as raw bits so
// that NaN payloads survive the trip between C++ and wasm.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include "vm/value_type.h"

namespace wasmgrind {

struct VMFuncRef;

struct Value {
  ValType type = ValType::I32;
  uint64_t bits = 0;  // i32 zero-extended; f32/f64 raw bits; refs: the host value (0 = null)
  uint64_t high = 0;  // upper half of a v128 (for SIMD, not supported yet)

  static Value I32(uint32_t v) { return {ValType::I32, v, 0}; }
  static Value I64(uint64_t v) { return {ValType::I64, v, 0}; }
  static Value F32Bits(uint32_t v) { return {ValType::F32, v, 0}; }
  static Value F64Bits(uint64_t v) { return {ValType::F64, v, 0}; }
  static Value F32(float f) {
    uint32_t b;
    std::memcpy(&b, &f, 4);
    return F32Bits(b);
  }
  static Value F64(double d) {
    uint64_t b;
    std::memcpy(&b, &d, 8);
    return F64Bits(b);
  }
  static Value FuncRef(const VMFuncRef* f) {
    return {ValType::FuncRef, reinterpret_cast<uintptr_t>(f), 0};
  }
  // An externref is an opaque, non-zero host word; 0 is null.
  static Value ExternRef(uintptr_t host) { return {ValType::ExternRef, host, 0}; }
  static Value Null(ValType ref_type) { return {ref_type, 0, 0}; }
  static Value Zero(ValType t) { return {t, 0, 0}; }

  uint32_t i32() const { return static_cast<uint32_t>(bits); }
  uint64_t i64() const { return bits; }
  float f32() const {
    uint32_t b = i32();
    float f;
    std::memcpy(&f, &b, 4);
    return f;
  }
  double f64() const {
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
  }
  bool is_null() const { return bits == 0; }

  std::string ToString() const;  // "i32:42", "f64:1.5", "funcref:null"
};

}  // namespace wasmgrind
