// WasmModuleBuilder: assembles wasm binaries for the unit tests, so that tests read as the module
// they encode rather than as hex. One class, two levels:
//  - typed entries (AddType, ImportFunc, AddFunc, Export, ...) return their index, like names in
//    the text format, and Build() writes them as well-formed sections in the spec's order, with
//    counts, sizes and the `end` of every body and constant expression computed;
//  - hand-written sections (Section, Vec, Raw) follow them exactly as given, in call order, so
//    that decoder tests can build malformed modules byte by byte.
// The free functions encode the pieces: LEB128, names, entries, instructions (opcode bytes come
// from opcodes.def through the Opcode enum).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <vector>

#include "vm/module_info.h"
#include "vm/opcode.h"
#include "vm/value_type.h"

namespace wasmgrind::test {

using Bytes = std::vector<uint8_t>;

inline void Append(Bytes& out, const Bytes& more) {
  out.insert(out.end(), more.begin(), more.end());
}

// Concatenates byte lists: Cat({LocalGet(0), I32Const(1), Op(Opcode::I32Add)}).
inline Bytes Cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) Append(out, p);
  return out;
}

// Unsigned LEB128, shortest form.
inline Bytes Uleb(uint64_t v) {
  Bytes out;
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    out.push_back(byte | (v != 0 ? 0x80 : 0));
  } while (v != 0);
  return out;
}

// Signed LEB128, shortest form.
inline Bytes Sleb(int64_t v) {
  Bytes out;
  for (bool more = true; more;) {
    uint8_t byte = v & 0x7f;
    v >>= 7;  // arithmetic: the sign propagates
    more = !((v == 0 && (byte & 0x40) == 0) || (v == -1 && (byte & 0x40) != 0));
    out.push_back(byte | (more ? 0x80 : 0));
  }
  return out;
}

// Length, then the bytes; not checked as UTF-8, so tests can pass bad names.
inline Bytes Name(std::string_view s) {
  Bytes out = Uleb(s.size());
  out.insert(out.end(), s.begin(), s.end());
  return out;
}

// A value type that is a ValType to the typed API and its encoding byte inside hand-written
// byte lists, so that both AddType({kI32}, {}) and {kI32, 0x00, 0x41, 0x00, kEnd} read.
struct TypeCode {
  ValType type;
  constexpr operator ValType() const { return type; }
  constexpr operator uint8_t() const { return static_cast<uint8_t>(type); }
};
inline constexpr TypeCode kI32{ValType::I32}, kI64{ValType::I64}, kF32{ValType::F32},
    kF64{ValType::F64}, kFuncRef{ValType::FuncRef}, kExternRef{ValType::ExternRef};

// Ends bodies, blocks and constant expressions.
constexpr uint8_t kEnd = 0x0b;

// Section ids. Plain uint8_t values, because hand-written sections may use any byte.
enum SectionId : uint8_t {
  kCustomSection = 0,
  kTypeSection = 1,
  kImportSection = 2,
  kFunctionSection = 3,
  kTableSection = 4,
  kMemorySection = 5,
  kGlobalSection = 6,
  kExportSection = 7,
  kStartSection = 8,
  kElementSection = 9,
  kCodeSection = 10,
  kDataSection = 11,
  kDataCountSection = 12,
};

// An instruction: the opcode's encoding (its byte, or prefix and LEB128 sub-opcode), then each
// immediate as unsigned LEB128. That covers indices, memarg (align, offset), and block and
// reference types, which are single bytes below 0x80; signed constants have their own helpers.
inline Bytes Op(Opcode op, std::initializer_list<uint64_t> immediates = {}) {
  const OpcodeInfo& info = Info(op);
  Bytes out;
  if (info.prefix != 0) {
    out.push_back(info.prefix);
    Append(out, Uleb(info.code));
  } else {
    out.push_back(static_cast<uint8_t>(info.code));  // not LEB128: 0x80 and up are one byte too
  }
  for (uint64_t imm : immediates) Append(out, Uleb(imm));
  return out;
}
inline Bytes I32Const(int32_t v) { return Cat({Op(Opcode::I32Const), Sleb(v)}); }
inline Bytes I64Const(int64_t v) { return Cat({Op(Opcode::I64Const), Sleb(v)}); }
inline Bytes LocalGet(uint32_t index) { return Op(Opcode::LocalGet, {index}); }

// Section entries, as Vec() takes them and as Build() writes them.

// A function type: 0x60, then the parameter and result vectors.
inline Bytes FuncTypeEntry(const std::vector<ValType>& params,
                           const std::vector<ValType>& results) {
  Bytes out{0x60};
  Append(out, Uleb(params.size()));
  for (ValType t : params) out.push_back(static_cast<uint8_t>(t));
  Append(out, Uleb(results.size()));
  for (ValType t : results) out.push_back(static_cast<uint8_t>(t));
  return out;
}

// A code entry: its size, the local declarations (runs of one type, as ModuleInfo keeps them),
// then `instrs` exactly as given: with the final `end`, unless a test leaves it out on purpose.
inline Bytes CodeEntry(const std::vector<LocalDecl>& locals, const Bytes& instrs) {
  Bytes inner = Uleb(locals.size());
  for (const LocalDecl& l : locals) {
    Append(inner, Uleb(l.count));
    inner.push_back(static_cast<uint8_t>(l.type));
  }
  Append(inner, instrs);
  return Cat({Uleb(inner.size()), inner});
}

class WasmModuleBuilder {
 public:
  // Typed entries. Each returns its index in its index space (imports come first, so import
  // before defining).
  uint32_t AddType(const std::vector<ValType>& params, const std::vector<ValType>& results) {
    Append(types_.entries, FuncTypeEntry(params, results));
    return types_.count++;
  }

  uint32_t ImportFunc(std::string_view module, std::string_view name, uint32_t type) {
    ImportHeader(module, name, ExternKind::Func);
    Append(imports_.entries, Uleb(type));
    return num_funcs_++;
  }
  uint32_t ImportMemory(std::string_view module, std::string_view name, uint32_t min,
                        std::optional<uint32_t> max = std::nullopt) {
    ImportHeader(module, name, ExternKind::Memory);
    AppendLimits(imports_.entries, min, max);
    return num_memories_++;
  }

  // `body` without its final `end`, which is added.
  uint32_t AddFunc(uint32_t type, const Bytes& body, const std::vector<LocalDecl>& locals = {}) {
    Append(funcs_.entries, Uleb(type));
    ++funcs_.count;
    Append(codes_.entries, CodeEntry(locals, Cat({body, {kEnd}})));
    ++codes_.count;
    return num_funcs_++;
  }
  uint32_t AddTable(uint32_t min, std::optional<uint32_t> max = std::nullopt,
                    ValType elem = ValType::FuncRef) {
    tables_.entries.push_back(static_cast<uint8_t>(elem));
    AppendLimits(tables_.entries, min, max);
    ++tables_.count;
    return num_tables_++;
  }
  uint32_t AddMemory(uint32_t min, std::optional<uint32_t> max = std::nullopt) {
    AppendLimits(memories_.entries, min, max);
    ++memories_.count;
    return num_memories_++;
  }
  // `init` without its final `end`, which is added.
  uint32_t AddGlobal(ValType type, bool mut, const Bytes& init) {
    globals_.entries.push_back(static_cast<uint8_t>(type));
    globals_.entries.push_back(mut ? 1 : 0);
    Append(globals_.entries, Cat({init, {kEnd}}));
    ++globals_.count;
    return num_globals_++;
  }

  void Export(std::string_view name, ExternKind kind, uint32_t index) {
    Append(exports_.entries, Cat({Name(name), {static_cast<uint8_t>(kind)}, Uleb(index)}));
    ++exports_.count;
  }
  void Start(uint32_t func) { start_ = func; }

  // Active element segment for table 0 (flags 0): offset expression (without `end`), functions.
  void AddElem(const Bytes& offset, const std::vector<uint32_t>& funcs) {
    Append(elems_.entries, Cat({{0x00}, offset, {kEnd}, FuncIndices(funcs)}));
    ++elems_.count;
  }
  // Passive element segment of functions (flags 1, elemkind funcref).
  void AddPassiveElem(const std::vector<uint32_t>& funcs) {
    Append(elems_.entries, Cat({{0x01, 0x00}, FuncIndices(funcs)}));
    ++elems_.count;
  }
  // Active data segment for memory 0 (flags 0): offset expression (without `end`), contents.
  void AddData(const Bytes& offset, std::string_view contents) {
    Append(datas_.entries, Cat({{0x00}, offset, {kEnd}, Name(contents)}));
    ++datas_.count;
  }
  // Passive data segment (flags 1).
  void AddPassiveData(std::string_view contents) {
    Append(datas_.entries, Cat({{0x01}, Name(contents)}));
    ++datas_.count;
  }

  // Hand-written sections, written after the typed ones, in call order.
  // A section whose size is computed from its payload.
  WasmModuleBuilder& Section(uint8_t id, const Bytes& payload) {
    AppendSection(raw_, id, payload);
    return *this;
  }
  // A section whose payload is an entry count and the entries; `count` need not match them.
  WasmModuleBuilder& Vec(uint8_t id, uint32_t count, const Bytes& entries) {
    return Section(id, Cat({Uleb(count), entries}));
  }
  // Bytes with no framing at all.
  WasmModuleBuilder& Raw(const Bytes& bytes) {
    Append(raw_, bytes);
    return *this;
  }

  // The preamble, the typed sections that have entries, then the hand-written ones.
  Bytes Build() const {
    Bytes out{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    AppendVec(out, kTypeSection, types_);
    AppendVec(out, kImportSection, imports_);
    AppendVec(out, kFunctionSection, funcs_);
    AppendVec(out, kTableSection, tables_);
    AppendVec(out, kMemorySection, memories_);
    AppendVec(out, kGlobalSection, globals_);
    AppendVec(out, kExportSection, exports_);
    if (start_) AppendSection(out, kStartSection, Uleb(*start_));
    AppendVec(out, kElementSection, elems_);
    // memory.init and data.drop need the data count; declaring it whenever there is data is valid.
    if (datas_.count > 0) AppendSection(out, kDataCountSection, Uleb(datas_.count));
    AppendVec(out, kCodeSection, codes_);
    AppendVec(out, kDataSection, datas_);
    Append(out, raw_);
    return out;
  }

 private:
  struct Entries {
    uint32_t count = 0;
    Bytes entries;
  };

  static void AppendSection(Bytes& out, uint8_t id, const Bytes& payload) {
    Append(out, Cat({{id}, Uleb(payload.size()), payload}));
  }
  static void AppendVec(Bytes& out, uint8_t id, const Entries& section) {
    if (section.count > 0) AppendSection(out, id, Cat({Uleb(section.count), section.entries}));
  }
  static void AppendLimits(Bytes& out, uint32_t min, std::optional<uint32_t> max) {
    out.push_back(max ? 1 : 0);
    Append(out, Uleb(min));
    if (max) Append(out, Uleb(*max));
  }
  static Bytes FuncIndices(const std::vector<uint32_t>& funcs) {
    Bytes out = Uleb(funcs.size());
    for (uint32_t f : funcs) Append(out, Uleb(f));
    return out;
  }
  void ImportHeader(std::string_view module, std::string_view name, ExternKind kind) {
    Append(imports_.entries, Cat({Name(module), Name(name), {static_cast<uint8_t>(kind)}}));
    ++imports_.count;
  }

  Entries types_, imports_, funcs_, tables_, memories_, globals_, exports_, elems_, codes_, datas_;
  uint32_t num_funcs_ = 0, num_tables_ = 0, num_memories_ = 0, num_globals_ = 0;
  std::optional<uint32_t> start_;
  Bytes raw_;
};

// A module with one function, of type `type` (a FuncTypeEntry), whose body is `instrs` as given
// (with its `end`); one memory and one funcref table give memory and table instructions
// something to use.
inline Bytes SingleFunctionModule(const Bytes& type, const Bytes& instrs,
                                  const std::vector<LocalDecl>& locals = {}) {
  return WasmModuleBuilder()
      .Vec(kTypeSection, 1, type)
      .Vec(kFunctionSection, 1, {0x00})
      .Vec(kTableSection, 1, {kFuncRef, 0x00, 0x01})
      .Vec(kMemorySection, 1, {0x00, 0x01})
      .Vec(kCodeSection, 1, CodeEntry(locals, instrs))
      .Build();
}

}  // namespace wasmgrind::test
