// BinaryReader: bounds-checked reads over a module's bytes (LEB128 with the spec's size limits,
// raw floats, UTF-8 names, byte runs). Positions are absolute offsets into the module binary,
// so every error carries the offset a user can look up in a hex dump.
//
// Invariants: pos_ <= end_ <= size of the underlying bytes; a failed read leaves pos_ at the
// byte that made it fail. Every read takes a `what` naming the field, which goes into the
// message after the spec's wording ("integer too large: reading u32 leb128 (function count)"),
// so the spec-test runner's prefix match on the spec text still holds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "vm/result.h"
#include "vm/value_type.h"

namespace wasmgrind {

inline constexpr std::string_view kUnexpectedEnd = "unexpected end of section or function";

class BinaryReader {
 public:
  BinaryReader(std::span<const uint8_t> bytes, size_t pos, size_t end)
      : data_(bytes.data()), pos_(pos), end_(end) {}
  explicit BinaryReader(std::span<const uint8_t> bytes) : BinaryReader(bytes, 0, bytes.size()) {}

  size_t position() const { return pos_; }
  size_t end() const { return end_; }
  size_t remaining() const { return end_ - pos_; }
  bool AtEnd() const { return pos_ >= end_; }
  void Seek(size_t pos) { pos_ = pos; }
  const uint8_t* data() const { return data_; }

  Result<uint8_t> ReadU8(std::string_view what) {
    if (pos_ >= end_) return EndError("u8", what);
    return data_[pos_++];
  }
  Result<uint8_t> PeekU8(std::string_view what) const {
    if (pos_ >= end_) return EndError("u8", what);
    return data_[pos_];
  }
  // The common one-byte case inline; longer encodings and every error out of line.
  Result<uint32_t> ReadU32Leb(std::string_view what) {
    if (pos_ < end_ && data_[pos_] < 0x80) return data_[pos_++];
    return ReadU32LebSlow(what);
  }
  Result<int32_t> ReadS32Leb(std::string_view what) {
    if (pos_ < end_ && data_[pos_] < 0x40) return data_[pos_++];
    return ReadS32LebSlow(what);
  }
  Result<uint64_t> ReadU64Leb(std::string_view what);
  Result<int64_t> ReadS64Leb(std::string_view what);
  // A signed 33-bit LEB (block types), returned widened.
  Result<int64_t> ReadS33Leb(std::string_view what);
  Result<uint32_t> ReadF32(std::string_view what);  // raw bits, little endian
  Result<uint64_t> ReadF64(std::string_view what);
  Result<std::span<const uint8_t>> ReadBytes(size_t n, std::string_view what);
  // A u32 byte length or vector count that must fit in what is left (counted, like the
  // spec interpreter, from the length field itself): "length out of bounds" otherwise. A
  // returned length always fits in the bytes after the field. Every count that sizes an
  // allocation goes through here, since each element takes >= 1 byte.
  Result<uint32_t> ReadLength(std::string_view what);
  // vec(byte) validated as UTF-8.
  Result<std::string> ReadName(std::string_view what);
  Result<ValType> ReadValType(std::string_view what);
  Result<ValType> ReadRefType(std::string_view what);

  // An error of kind Malformed at `offset`, worded "<spec text>: <detail>".
  static Error MakeError(std::string_view spec_text, std::string_view detail, size_t offset);
  Error EndError(std::string_view kind, std::string_view what) const;

 private:
  Result<uint32_t> ReadU32LebSlow(std::string_view what);
  Result<int32_t> ReadS32LebSlow(std::string_view what);

  const uint8_t* data_;
  size_t pos_;
  size_t end_;
};

// True if [data, data + size) is well-formed UTF-8 (no overlongs, surrogates, or > U+10FFFF).
bool IsValidUtf8(const uint8_t* data, size_t size);

// Value type byte -> ValType, nullopt if it is not one (v128 included: SIMD decodes later).
std::optional<ValType> DecodeValType(uint8_t byte);

}  // namespace wasmgrind
