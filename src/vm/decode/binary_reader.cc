// BinaryReader's out-of-line reads: multi-byte LEB128 with the spec's limits (at most
// ceil(N/7) bytes; unused bits of the last byte zero for unsigned, copies of the sign bit for
// signed), floats, names and error construction.
#include "vm/decode/binary_reader.h"

#include <cstring>

#include <fmt/format.h>

#include "vm/feature.h"

namespace wasmgrind {

Error BinaryReader::MakeError(std::string_view spec_text, std::string_view detail, size_t offset) {
  return Error::Make(ErrorKind::Malformed, fmt::format("{}: {}", spec_text, detail), offset);
}

Error BinaryReader::EndError(std::string_view kind, std::string_view what) const {
  return MakeError(kUnexpectedEnd, fmt::format("reading {} ({})", kind, what), pos_);
}

namespace {

// Reads an unsigned LEB of at most `bits` bits. `last_byte_ok` says whether the final
// permitted byte's unused bits are acceptable.
struct LebDecode {
  uint64_t value = 0;
  unsigned shift = 0;
  size_t length = 0;
  enum class Status { Ok, End, TooLong, TooLarge } status = Status::Ok;
};

LebDecode DecodeLeb(const uint8_t* data, size_t pos, size_t end, unsigned bits, bool is_signed) {
  LebDecode d;
  const size_t max_bytes = (bits + 6) / 7;
  for (size_t i = 0;; ++i) {
    if (pos + i >= end) {
      d.status = LebDecode::Status::End;
      d.length = i;
      return d;
    }
    const uint8_t byte = data[pos + i];
    if (i == max_bytes - 1) {
      // Last permitted byte: no continuation, and the bits above `bits` must be zero
      // (unsigned) or all equal to the sign bit (signed).
      if (byte & 0x80) {
        d.status = LebDecode::Status::TooLong;
        d.length = i;
        return d;
      }
      const unsigned used = bits - 7 * i;  // payload bits this byte may carry
      const uint8_t unused_mask = static_cast<uint8_t>(0x7f & ~((1u << used) - 1));
      if (is_signed) {
        const bool sign = (byte >> (used - 1)) & 1;
        if ((byte & unused_mask) != (sign ? unused_mask : 0))
          d.status = LebDecode::Status::TooLarge;
      } else if (byte & unused_mask) {
        d.status = LebDecode::Status::TooLarge;
      }
      d.value |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
      d.shift = 7 * (i + 1);
      d.length = i + 1;
      if (d.status != LebDecode::Status::Ok) d.length = i;
      return d;
    }
    d.value |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
    if (!(byte & 0x80)) {
      d.shift = 7 * (i + 1);
      d.length = i + 1;
      return d;
    }
  }
}

uint64_t SignExtend(uint64_t value, unsigned shift, unsigned bits) {
  // Sign-extend from the last payload bit read (or from `bits` if all were read).
  const unsigned width = shift < bits ? shift : bits;
  if (width >= 64) return value;
  const uint64_t sign = uint64_t{1} << (width - 1);
  value &= (uint64_t{1} << width) - 1;
  return (value ^ sign) - sign;
}

}  // namespace

#define WG_LEB_READ(bits, is_signed, kind_text)                                              \
  LebDecode d = DecodeLeb(data_, pos_, end_, bits, is_signed);                               \
  switch (d.status) {                                                                        \
    case LebDecode::Status::End: pos_ += d.length; return EndError(kind_text, what);         \
    case LebDecode::Status::TooLong:                                                         \
      return MakeError("integer representation too long",                                    \
                       fmt::format("reading {} ({})", kind_text, what), pos_ + d.length);    \
    case LebDecode::Status::TooLarge:                                                        \
      return MakeError("integer too large", fmt::format("reading {} ({})", kind_text, what), \
                       pos_ + d.length);                                                     \
    case LebDecode::Status::Ok: break;                                                       \
  }                                                                                          \
  pos_ += d.length

Result<uint32_t> BinaryReader::ReadU32LebSlow(std::string_view what) {
  WG_LEB_READ(32, false, "u32 leb128");
  return static_cast<uint32_t>(d.value);
}

Result<int32_t> BinaryReader::ReadS32LebSlow(std::string_view what) {
  WG_LEB_READ(32, true, "s32 leb128");
  return static_cast<int32_t>(SignExtend(d.value, d.shift, 32));
}

Result<uint64_t> BinaryReader::ReadU64Leb(std::string_view what) {
  WG_LEB_READ(64, false, "u64 leb128");
  return d.value;
}

Result<int64_t> BinaryReader::ReadS64Leb(std::string_view what) {
  WG_LEB_READ(64, true, "s64 leb128");
  return static_cast<int64_t>(SignExtend(d.value, d.shift, 64));
}

Result<int64_t> BinaryReader::ReadS33Leb(std::string_view what) {
  WG_LEB_READ(33, true, "s33 leb128");
  return static_cast<int64_t>(SignExtend(d.value, d.shift, 33));
}

#undef WG_LEB_READ

Result<uint32_t> BinaryReader::ReadF32(std::string_view what) {
  if (remaining() < 4) {
    pos_ = end_;
    return EndError("f32", what);
  }
  uint32_t bits;
  std::memcpy(&bits, data_ + pos_, 4);  // x86-64 is little endian, like the format
  pos_ += 4;
  return bits;
}

Result<uint64_t> BinaryReader::ReadF64(std::string_view what) {
  if (remaining() < 8) {
    pos_ = end_;
    return EndError("f64", what);
  }
  uint64_t bits;
  std::memcpy(&bits, data_ + pos_, 8);
  pos_ += 8;
  return bits;
}

Result<std::span<const uint8_t>> BinaryReader::ReadBytes(size_t n, std::string_view what) {
  if (remaining() < n) {
    pos_ = end_;
    return EndError("bytes", what);
  }
  std::span<const uint8_t> out(data_ + pos_, n);
  pos_ += n;
  return out;
}

Result<uint32_t> BinaryReader::ReadLength(std::string_view what) {
  const size_t start = pos_;
  TRY_ASSIGN(uint32_t n, ReadU32Leb(what));
  if (n > end_ - start) {
    return MakeError("length out of bounds",
                     fmt::format("{} is {} but only {} bytes remain", what, n, end_ - pos_), start);
  }
  // The spec counts the room from the length field itself, so a length that overshoots by at
  // most the field's own size passes its check and then runs into the end. Report that end now,
  // so no caller ever sees a length that does not fit.
  if (n > end_ - pos_) {
    return MakeError(kUnexpectedEnd,
                     fmt::format("{} is {} but only {} bytes remain", what, n, end_ - pos_), end_);
  }
  return n;
}

Result<std::string> BinaryReader::ReadName(std::string_view what) {
  TRY_ASSIGN(uint32_t size, ReadLength(what));
  const size_t start = pos_;
  TRY_ASSIGN(std::span<const uint8_t> bytes, ReadBytes(size, what));
  if (!IsValidUtf8(bytes.data(), bytes.size())) {
    return MakeError("malformed UTF-8 encoding", fmt::format("reading name ({})", what), start);
  }
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

std::optional<ValType> DecodeValType(uint8_t byte) {
  switch (byte) {
    case 0x7f: return ValType::I32;
    case 0x7e: return ValType::I64;
    case 0x7d: return ValType::F32;
    case 0x7c: return ValType::F64;
    case 0x70: return ValType::FuncRef;
    case 0x6f: return ValType::ExternRef;
    default: return std::nullopt;
  }
}

Result<ValType> BinaryReader::ReadValType(std::string_view what) {
  const size_t start = pos_;
  TRY_ASSIGN(uint8_t byte, ReadU8(what));
  if (auto t = DecodeValType(byte)) return *t;
  if (byte == 0x7b && !Supported(Feature::Simd)) {
    return UnsupportedFeatureError(Feature::Simd, fmt::format("v128 value type ({})", what), start);
  }
  return MakeError("malformed value type", fmt::format("0x{:02x} ({})", byte, what), start);
}

Result<ValType> BinaryReader::ReadRefType(std::string_view what) {
  const size_t start = pos_;
  TRY_ASSIGN(uint8_t byte, ReadU8(what));
  if (byte == 0x70) return ValType::FuncRef;
  if (byte == 0x6f) return ValType::ExternRef;
  return MakeError("malformed reference type", fmt::format("0x{:02x} ({})", byte, what), start);
}

bool IsValidUtf8(const uint8_t* data, size_t size) {
  size_t i = 0;
  while (i < size) {
    const uint8_t b = data[i];
    if (b < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((b & 0xe0) == 0xc0) {
      len = 2;
      cp = b & 0x1f;
    } else if ((b & 0xf0) == 0xe0) {
      len = 3;
      cp = b & 0x0f;
    } else if ((b & 0xf8) == 0xf0) {
      len = 4;
      cp = b & 0x07;
    } else {
      return false;
    }
    if (i + len > size) return false;
    for (size_t k = 1; k < len; ++k) {
      const uint8_t c = data[i + k];
      if ((c & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are all malformed.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000))
      return false;
    if (cp >= 0xd800 && cp <= 0xdfff) return false;
    if (cp > 0x10ffff) return false;
    i += len;
  }
  return true;
}

}  // namespace wasmgrind
