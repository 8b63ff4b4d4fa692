// ModuleInfo: everything the ModuleDecoder reads out of a binary, before validation and
// compilation. Index spaces (functions, tables, memories, globals) list imports first, as in
// the spec, so an index means the same thing here as in the bytecode.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "vm/opcode.h"
#include "vm/value_type.h"

namespace wasmgrind {

// A constant expression, kept as its instruction list so that extended-const slots in.
// In 2.0: one of t.const, ref.null, ref.func, global.get, then end (not stored).
struct ConstInstr {
  Opcode op = Opcode::I32Const;
  uint64_t bits = 0;            // constant value / raw float bits
  uint32_t index = 0;           // ref.func / global.get index
  ValType type = ValType::I32;  // ref.null's type
};
struct ConstExpr {
  std::vector<ConstInstr> instrs;
  uint32_t offset = 0;  // byte offset in the binary, for messages
};

struct Import {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t type_index = 0;  // Func
  TableType table;          // Table
  MemoryType memory;        // Memory
  GlobalType global;        // Global
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;
};

struct GlobalDef {
  GlobalType type;
  ConstExpr init;
};

enum class SegmentMode : uint8_t { Active, Passive, Declarative };

struct ElementSegment {
  SegmentMode mode = SegmentMode::Active;
  ValType type = ValType::FuncRef;
  uint32_t table_index = 0;      // Active
  ConstExpr offset;              // Active
  std::vector<ConstExpr> items;  // each a ref.func / ref.null / global.get expression
};

struct DataSegment {
  SegmentMode mode = SegmentMode::Active;  // never Declarative
  uint32_t memory_index = 0;
  ConstExpr offset;
  uint32_t data_offset = 0;  // where the bytes start in ModuleInfo::bytes
  uint32_t data_size = 0;
};

struct LocalDecl {
  uint32_t count = 0;
  ValType type = ValType::I32;
};

struct FunctionBody {
  std::vector<LocalDecl> locals;  // as declared (run-length), total bounded by the decoder
  uint32_t num_locals = 0;        // sum of counts, excluding parameters
  uint32_t body_offset = 0;       // first instruction byte in ModuleInfo::bytes
  uint32_t body_end = 0;          // one past the final `end`
};

struct CustomSection {
  std::string name;
  uint32_t data_offset = 0;  // payload (after the name) in ModuleInfo::bytes
  uint32_t data_size = 0;
};

// The `name` custom section (names are advisory: a malformed name section is ignored).
struct NameSection {
  std::optional<std::string> module_name;
  std::unordered_map<uint32_t, std::string> functions;
  std::unordered_map<uint32_t, std::unordered_map<uint32_t, std::string>> locals;
  std::unordered_map<uint32_t, std::string> globals;
};

struct ModuleInfo {
  std::vector<uint8_t> bytes;  // the whole binary; offsets above point into it

  std::vector<FuncType> types;
  std::vector<Import> imports;

  // Index spaces, imports first.
  std::vector<uint32_t> func_types;  // type index of every function
  std::vector<TableType> tables;
  std::vector<MemoryType> memories;
  std::vector<GlobalType> globals;
  uint32_t num_imported_funcs = 0;
  uint32_t num_imported_tables = 0;
  uint32_t num_imported_memories = 0;
  uint32_t num_imported_globals = 0;

  std::vector<ConstExpr> global_inits;  // defined globals only (index - num_imported_globals)
  std::vector<Export> exports;
  std::optional<uint32_t> start;
  std::vector<ElementSegment> elements;
  std::vector<DataSegment> datas;
  std::optional<uint32_t> data_count;  // from the DataCount section
  std::vector<FunctionBody> codes;     // defined functions only
  // Where the Code section's payload (its function count) starts in `bytes`; 0 if there is no
  // Code section. DWARF addresses for wasm are offsets from here.
  uint32_t code_section_offset = 0;
  std::vector<CustomSection> customs;  // every custom section, including name and .debug_*
  NameSection names;
  // The names by which the runtime recognises functions it replaces (the allocator, client
  // requests, libc functions): DWARF's linkage names of the defined functions the name section
  // leaves unnamed (a stripped name section; DWARF stays). Filled by the runtime before
  // compiling, since reading DWARF is the debug layer's; LinkName looks here, then in `names`.
  std::unordered_map<uint32_t, std::string> link_names;
  // declared_funcs[f]: function f may be named by `ref.func` in a body because it is referenced
  // outside function bodies (element segments, exports, global initializers). Filled by the
  // decoder; sized to the function index space.
  std::vector<bool> declared_funcs;

  uint32_t num_defined_funcs() const {
    return static_cast<uint32_t>(func_types.size()) - num_imported_funcs;
  }
  const FuncType& func_type(uint32_t func_index) const { return types[func_types[func_index]]; }
  // Name for messages and backtraces: name section, else "func[N]".
  std::string FunctionName(uint32_t func_index) const;
  // The function's link name (the name section's, else link_names'), or null.
  const std::string* LinkName(uint32_t func_index) const;
  // The name of the function's first export, or null.
  const std::string* ExportName(uint32_t func_index) const;
  const CustomSection* FindCustom(std::string_view name) const;
};

}  // namespace wasmgrind
