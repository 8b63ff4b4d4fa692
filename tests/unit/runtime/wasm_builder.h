// WasmBuilder: assembles small wasm binaries for the runtime tests, section by section, from
// hand-written instruction bytes. Only what the tests need; indices are returned so that tests
// read like the text format ("func $f = b.AddFunc(...)").
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "value_type.h"

namespace wasmgrind::test {

using Bytes = std::vector<uint8_t>;

inline void Uleb(Bytes& out, uint64_t v) {
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    out.push_back(byte | (v != 0 ? 0x80 : 0));
  } while (v != 0);
}

inline void Sleb(Bytes& out, int64_t v) {
  bool more = true;
  while (more) {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    more = !((v == 0 && (byte & 0x40) == 0) || (v == -1 && (byte & 0x40) != 0));
    out.push_back(byte | (more ? 0x80 : 0));
  }
}

// Instruction helpers (append to a body).
inline Bytes I32Const(int32_t v) { Bytes b{0x41}; Sleb(b, v); return b; }
inline Bytes I64Const(int64_t v) { Bytes b{0x42}; Sleb(b, v); return b; }
inline Bytes LocalGet(uint32_t i) { Bytes b{0x20}; Uleb(b, i); return b; }
inline Bytes CallOp(uint32_t f) { Bytes b{0x10}; Uleb(b, f); return b; }
inline Bytes GlobalGet(uint32_t g) { Bytes b{0x23}; Uleb(b, g); return b; }

inline Bytes Cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

class WasmBuilder {
 public:
  uint32_t AddType(std::vector<ValType> params, std::vector<ValType> results) {
    Bytes& t = types_;
    t.push_back(0x60);
    Uleb(t, params.size());
    for (ValType v : params) t.push_back(static_cast<uint8_t>(v));
    Uleb(t, results.size());
    for (ValType v : results) t.push_back(static_cast<uint8_t>(v));
    return num_types_++;
  }

  uint32_t ImportFunc(const std::string& mod, const std::string& name, uint32_t type) {
    ImportHeader(mod, name, 0x00);
    Uleb(imports_, type);
    return num_funcs_++;
  }
  uint32_t ImportMemory(const std::string& mod, const std::string& name, uint32_t min,
                        std::optional<uint32_t> max = std::nullopt) {
    ImportHeader(mod, name, 0x02);
    Limits(imports_, min, max);
    return num_memories_++;
  }
  uint32_t ImportTable(const std::string& mod, const std::string& name, uint32_t min,
                       std::optional<uint32_t> max = std::nullopt) {
    ImportHeader(mod, name, 0x01);
    imports_.push_back(0x70);
    Limits(imports_, min, max);
    return num_tables_++;
  }
  uint32_t ImportGlobal(const std::string& mod, const std::string& name, ValType type, bool mut) {
    ImportHeader(mod, name, 0x03);
    imports_.push_back(static_cast<uint8_t>(type));
    imports_.push_back(mut ? 1 : 0);
    return num_globals_++;
  }

  // `body` excludes the final `end`. Locals are i32 unless given.
  uint32_t AddFunc(uint32_t type, const Bytes& body, std::vector<ValType> locals = {}) {
    Uleb(funcs_, type);
    ++num_defined_funcs_;
    Bytes code;
    Uleb(code, locals.size());
    for (ValType l : locals) {
      code.push_back(1);
      code.push_back(static_cast<uint8_t>(l));
    }
    code.insert(code.end(), body.begin(), body.end());
    code.push_back(0x0b);
    Uleb(codes_, code.size());
    codes_.insert(codes_.end(), code.begin(), code.end());
    return num_funcs_++;
  }

  uint32_t AddMemory(uint32_t min, std::optional<uint32_t> max = std::nullopt) {
    Limits(memories_, min, max);
    ++num_defined_memories_;
    return num_memories_++;
  }
  uint32_t AddTable(uint32_t min, std::optional<uint32_t> max = std::nullopt,
                    ValType elem = ValType::FuncRef) {
    tables_.push_back(static_cast<uint8_t>(elem));
    Limits(tables_, min, max);
    ++num_defined_tables_;
    return num_tables_++;
  }
  uint32_t AddGlobal(ValType type, bool mut, const Bytes& init) {
    globals_.push_back(static_cast<uint8_t>(type));
    globals_.push_back(mut ? 1 : 0);
    globals_.insert(globals_.end(), init.begin(), init.end());
    globals_.push_back(0x0b);
    ++num_defined_globals_;
    return num_globals_++;
  }

  void Export(const std::string& name, ExternKind kind, uint32_t index) {
    Name(exports_, name);
    exports_.push_back(static_cast<uint8_t>(kind));
    Uleb(exports_, index);
    ++num_exports_;
  }
  void Start(uint32_t func) { start_ = func; }

  // Active element segment for table 0 (flags 0): offset expression, function indices.
  void AddElem(const Bytes& offset, const std::vector<uint32_t>& funcs) {
    elems_.push_back(0x00);
    elems_.insert(elems_.end(), offset.begin(), offset.end());
    elems_.push_back(0x0b);
    Uleb(elems_, funcs.size());
    for (uint32_t f : funcs) Uleb(elems_, f);
    ++num_elems_;
  }
  // Passive element segment of function indices (flags 1, elemkind funcref).
  void AddPassiveElem(const std::vector<uint32_t>& funcs) {
    elems_.push_back(0x01);
    elems_.push_back(0x00);
    Uleb(elems_, funcs.size());
    for (uint32_t f : funcs) Uleb(elems_, f);
    ++num_elems_;
  }
  // Passive data segment.
  void AddPassiveData(const std::string& bytes) {
    datas_.push_back(0x01);
    Name(datas_, bytes);
    ++num_datas_;
  }
  // Active data segment for memory 0.
  void AddData(const Bytes& offset, const std::string& bytes) {
    datas_.push_back(0x00);
    datas_.insert(datas_.end(), offset.begin(), offset.end());
    datas_.push_back(0x0b);
    Name(datas_, bytes);
    ++num_datas_;
  }

  Bytes Build() const {
    Bytes out{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    Section(out, 1, num_types_, types_);
    Section(out, 2, num_imports_, imports_);
    Section(out, 3, num_defined_funcs_, funcs_);
    Section(out, 4, num_defined_tables_, tables_);
    Section(out, 5, num_defined_memories_, memories_);
    Section(out, 6, num_defined_globals_, globals_);
    Section(out, 7, num_exports_, exports_);
    if (start_) {
      Bytes s;
      Uleb(s, *start_);
      out.push_back(8);
      Uleb(out, s.size());
      out.insert(out.end(), s.begin(), s.end());
    }
    Section(out, 9, num_elems_, elems_);
    if (num_datas_ > 0) {  // DataCount: memory.init and data.drop need it
      Bytes count;
      Uleb(count, num_datas_);
      out.push_back(12);
      Uleb(out, count.size());
      out.insert(out.end(), count.begin(), count.end());
    }
    Section(out, 10, num_defined_funcs_, codes_);
    Section(out, 11, num_datas_, datas_);
    return out;
  }

 private:
  static void Name(Bytes& out, const std::string& s) {
    Uleb(out, s.size());
    out.insert(out.end(), s.begin(), s.end());
  }
  static void Limits(Bytes& out, uint32_t min, std::optional<uint32_t> max) {
    out.push_back(max ? 1 : 0);
    Uleb(out, min);
    if (max) Uleb(out, *max);
  }
  void ImportHeader(const std::string& mod, const std::string& name, uint8_t kind) {
    Name(imports_, mod);
    Name(imports_, name);
    imports_.push_back(kind);
    ++num_imports_;
  }
  static void Section(Bytes& out, uint8_t id, uint32_t count, const Bytes& body) {
    if (count == 0) return;
    Bytes payload;
    Uleb(payload, count);
    payload.insert(payload.end(), body.begin(), body.end());
    out.push_back(id);
    Uleb(out, payload.size());
    out.insert(out.end(), payload.begin(), payload.end());
  }

  Bytes types_, imports_, funcs_, tables_, memories_, globals_, exports_, elems_, codes_, datas_;
  uint32_t num_types_ = 0, num_imports_ = 0, num_funcs_ = 0, num_defined_funcs_ = 0;
  uint32_t num_tables_ = 0, num_defined_tables_ = 0, num_memories_ = 0, num_defined_memories_ = 0;
  uint32_t num_globals_ = 0, num_defined_globals_ = 0, num_exports_ = 0, num_elems_ = 0;
  uint32_t num_datas_ = 0;
  std::optional<uint32_t> start_;
};

}  // namespace wasmgrind::test
