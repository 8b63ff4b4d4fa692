// Conversions between embedding-API Values and the raw cells compiled code reads: VMVal slots
// (trampolines, the buffer ABI, host stubs) and VMGlobal cells. A value sits at offset 0 in
// its natural width, little-endian; i32/f32 occupy the low 4 bytes.
#pragma once

#include <cstring>

#include "vm/value.h"
#include "vm/vmcontext.h"

namespace wasmgrind {

inline void StoreRaw(uint8_t* cell, const Value& v) {
  if (v.type == ValType::V128) {
    std::memcpy(cell, &v.bits, 8);
    std::memcpy(cell + 8, &v.high, 8);
    return;
  }
  // bits is zero-extended for 32-bit types, so writing 8 bytes also zeroes the upper half.
  std::memcpy(cell, &v.bits, 8);
}

inline Value LoadRaw(ValType type, const uint8_t* cell) {
  Value v;
  v.type = type;
  if (ValTypeSize(type) == 4) {
    uint32_t low;
    std::memcpy(&low, cell, 4);
    v.bits = low;
  } else {
    std::memcpy(&v.bits, cell, 8);
    if (type == ValType::V128) std::memcpy(&v.high, cell + 8, 8);
  }
  return v;
}

inline void StoreVal(VMVal& slot, const Value& v) { StoreRaw(slot.bytes, v); }
inline Value LoadVal(ValType type, const VMVal& slot) { return LoadRaw(type, slot.bytes); }

}  // namespace wasmgrind
