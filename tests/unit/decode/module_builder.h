// ModuleBuilder: assembles module bytes for tests, section by section, with LEB128 helpers,
// so tests read as the structure they encode rather than as hex.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace wasmgrind::test {

using Bytes = std::vector<uint8_t>;

inline void AppendU32(Bytes& out, uint64_t v) {
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    if (v) byte |= 0x80;
    out.push_back(byte);
  } while (v);
}

inline void AppendS64(Bytes& out, int64_t v) {
  for (;;) {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    const bool done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
    if (!done) byte |= 0x80;
    out.push_back(byte);
    if (done) break;
  }
}

inline void AppendName(Bytes& out, std::string_view name) {
  AppendU32(out, name.size());
  out.insert(out.end(), name.begin(), name.end());
}

inline void Append(Bytes& out, const Bytes& more) { out.insert(out.end(), more.begin(), more.end()); }

// Concatenates byte lists: Cat({0x41, 0x00}, Leb(300), ...).
inline Bytes Cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) Append(out, p);
  return out;
}

inline Bytes Leb(uint64_t v) {
  Bytes out;
  AppendU32(out, v);
  return out;
}

inline Bytes SLeb(int64_t v) {
  Bytes out;
  AppendS64(out, v);
  return out;
}

inline Bytes Name(std::string_view s) {
  Bytes out;
  AppendName(out, s);
  return out;
}

class ModuleBuilder {
 public:
  ModuleBuilder() : bytes_{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00} {}

  // A section with a payload whose size is computed.
  ModuleBuilder& Section(uint8_t id, const Bytes& payload) {
    bytes_.push_back(id);
    AppendU32(bytes_, payload.size());
    Append(bytes_, payload);
    return *this;
  }
  // A section payload that starts with an entry count.
  ModuleBuilder& Vec(uint8_t id, uint32_t count, const Bytes& entries) {
    Bytes payload;
    AppendU32(payload, count);
    Append(payload, entries);
    return Section(id, payload);
  }
  ModuleBuilder& Raw(const Bytes& more) {
    Append(bytes_, more);
    return *this;
  }
  const Bytes& bytes() const { return bytes_; }

 private:
  Bytes bytes_;
};

// Common pieces.
inline Bytes FuncTypeBytes(const Bytes& params, const Bytes& results) {
  Bytes out{0x60};
  AppendU32(out, params.size());
  Append(out, params);
  AppendU32(out, results.size());
  Append(out, results);
  return out;
}

// A code-section entry: local declarations (count, type pairs) and the body instructions,
// which must include the final `end`.
inline Bytes Body(const Bytes& locals, uint32_t num_local_decls, const Bytes& instrs) {
  Bytes inner;
  AppendU32(inner, num_local_decls);
  Append(inner, locals);
  Append(inner, instrs);
  Bytes out;
  AppendU32(out, inner.size());
  Append(out, inner);
  return out;
}

constexpr uint8_t kI32 = 0x7f, kI64 = 0x7e, kF32 = 0x7d, kF64 = 0x7c, kFuncRef = 0x70, kExternRef = 0x6f;
constexpr uint8_t kEnd = 0x0b;

// A module with one function of type `type` and the given body instructions (and one memory
// and one funcref table, so memory and table instructions have something to refer to).
inline Bytes SingleFunctionModule(const Bytes& type, const Bytes& locals, uint32_t num_local_decls,
                                  const Bytes& instrs) {
  return ModuleBuilder()
      .Vec(1, 1, type)
      .Vec(3, 1, {0x00})
      .Vec(4, 1, {kFuncRef, 0x00, 0x01})
      .Vec(5, 1, {0x00, 0x01})
      .Vec(10, 1, Body(locals, num_local_decls, instrs))
      .bytes();
}

}  // namespace wasmgrind::test
