// Value types and the type vocabulary of a module (function, table, memory, global types).
// ValType's enumerators are the binary encodings, so decoding is a range check, not a table.
// V128 is listed so that SIMD support slots in without reshaping any of these types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wasmgrind {

enum class ValType : uint8_t {
  I32 = 0x7f,
  I64 = 0x7e,
  F32 = 0x7d,
  F64 = 0x7c,
  V128 = 0x7b,
  FuncRef = 0x70,
  ExternRef = 0x6f,
};

constexpr bool IsNumType(ValType t) {
  return t == ValType::I32 || t == ValType::I64 || t == ValType::F32 || t == ValType::F64;
}
constexpr bool IsRefType(ValType t) { return t == ValType::FuncRef || t == ValType::ExternRef; }
constexpr bool IsFloatType(ValType t) { return t == ValType::F32 || t == ValType::F64; }

// Bytes the value occupies in linear memory / a global cell (refs are host pointers).
constexpr uint32_t ValTypeSize(ValType t) {
  switch (t) {
    case ValType::I32:
    case ValType::F32:
      return 4;
    case ValType::V128:
      return 16;
    default:
      return 8;
  }
}

constexpr std::string_view ValTypeName(ValType t) {
  switch (t) {
    case ValType::I32: return "i32";
    case ValType::I64: return "i64";
    case ValType::F32: return "f32";
    case ValType::F64: return "f64";
    case ValType::V128: return "v128";
    case ValType::FuncRef: return "funcref";
    case ValType::ExternRef: return "externref";
  }
  return "?";
}

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  bool operator==(const FuncType&) const = default;
  std::string ToString() const;  // "(i32, i64) -> (f32)"
};

struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  bool operator==(const Limits&) const = default;
};

struct TableType {
  ValType elem = ValType::FuncRef;
  Limits limits;
  bool operator==(const TableType&) const = default;
};

struct MemoryType {
  Limits limits;  // in 64 KiB pages
  bool operator==(const MemoryType&) const = default;
};

struct GlobalType {
  ValType type = ValType::I32;
  bool is_mutable = false;
  bool operator==(const GlobalType&) const = default;
};

enum class ExternKind : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3 };

constexpr std::string_view ExternKindName(ExternKind k) {
  switch (k) {
    case ExternKind::Func: return "func";
    case ExternKind::Table: return "table";
    case ExternKind::Memory: return "memory";
    case ExternKind::Global: return "global";
  }
  return "?";
}

constexpr uint64_t kWasmPageSize = 65536;
constexpr uint64_t kMaxMemory32Pages = 65536;
constexpr uint64_t kMaxTableSize = 0xffffffffu;

}  // namespace wasmgrind
