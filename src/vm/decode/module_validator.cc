// ValidateModule: types of imports and definitions, limits, the single-memory rule, constant
// expressions, segments, exports and the start function, in the spec's order of definitions.
// Constant expressions may read only imported globals (the 2.0 test suite expects "unknown
// global" for a defined one, in global initializers and segment offsets alike).
#include "vm/decode/module_validator.h"

#include <string_view>
#include <unordered_set>

#include <fmt/format.h>

#include "vm/decode/decode_function.h"

namespace wasmgrind {

namespace {

Error Invalid(std::string message, std::optional<size_t> offset = std::nullopt) {
  return Error::Make(ErrorKind::Invalid, std::move(message), offset);
}

Result<void> ValidateTypeIndex(const ModuleInfo& module, uint32_t index, std::string_view what) {
  if (index >= module.types.size())
    return Invalid(fmt::format("unknown type {} ({})", index, what));
  return Ok();
}

Result<void> ValidateLimits(const Limits& limits, uint64_t bound, std::string_view too_large) {
  if (limits.min > bound || (limits.max && *limits.max > bound))
    return Invalid(std::string(too_large));
  if (limits.max && limits.min > *limits.max) {
    return Invalid(fmt::format("size minimum must not be greater than maximum ({} > {})",
                               limits.min, *limits.max));
  }
  return Ok();
}

Result<void> ValidateTableType(const TableType& table) {
  return ValidateLimits(table.limits, kMaxTableSize, "table size must be at most 2^32-1");
}

Result<void> ValidateMemoryType(const MemoryType& memory) {
  return ValidateLimits(memory.limits, kMaxMemory32Pages,
                        "memory size must be at most 65536 pages (4GiB)");
}

Result<void> ValidateExportIndex(const ModuleInfo& module, const Export& e) {
  size_t limit = 0;
  switch (e.kind) {
    case ExternKind::Func: limit = module.func_types.size(); break;
    case ExternKind::Table: limit = module.tables.size(); break;
    case ExternKind::Memory: limit = module.memories.size(); break;
    case ExternKind::Global: limit = module.globals.size(); break;
  }
  if (e.index >= limit) {
    return Invalid(fmt::format("unknown {} {} (export \"{}\")",
                               e.kind == ExternKind::Func ? "function" : ExternKindName(e.kind),
                               e.index, e.name));
  }
  return Ok();
}

Result<void> ValidateElements(const ModuleInfo& module) {
  for (size_t i = 0; i < module.elements.size(); ++i) {
    const ElementSegment& segment = module.elements[i];
    if (segment.mode == SegmentMode::Active) {
      if (segment.table_index >= module.tables.size()) {
        return Invalid(fmt::format("unknown table {} (element segment {})", segment.table_index, i),
                       segment.offset.offset);
      }
      TRY(ValidateConstExpr(module, segment.offset, ValType::I32, module.num_imported_globals));
      if (module.tables[segment.table_index].elem != segment.type) {
        return Invalid(fmt::format("type mismatch: element segment {} of {} for a table of {}", i,
                                   ValTypeName(segment.type),
                                   ValTypeName(module.tables[segment.table_index].elem)),
                       segment.offset.offset);
      }
    }
    for (const ConstExpr& item : segment.items) {
      TRY(ValidateConstExpr(module, item, segment.type, module.num_imported_globals));
    }
  }
  return Ok();
}

Result<void> ValidateDatas(const ModuleInfo& module) {
  for (size_t i = 0; i < module.datas.size(); ++i) {
    const DataSegment& segment = module.datas[i];
    if (segment.mode != SegmentMode::Active) continue;
    if (segment.memory_index >= module.memories.size()) {
      return Invalid(fmt::format("unknown memory {} (data segment {})", segment.memory_index, i),
                     segment.offset.offset);
    }
    TRY(ValidateConstExpr(module, segment.offset, ValType::I32, module.num_imported_globals));
  }
  return Ok();
}

}  // namespace

Result<void> ValidateConstExpr(const ModuleInfo& module, const ConstExpr& expr, ValType expected,
                               uint32_t visible_globals) {
  ValType stack[4];
  size_t depth = 0;
  for (const ConstInstr& instr : expr.instrs) {
    ValType t;
    switch (instr.op) {
      case Opcode::I32Const: t = ValType::I32; break;
      case Opcode::I64Const: t = ValType::I64; break;
      case Opcode::F32Const: t = ValType::F32; break;
      case Opcode::F64Const: t = ValType::F64; break;
      case Opcode::RefNull: t = instr.type; break;
      case Opcode::RefFunc:
        if (instr.index >= module.func_types.size()) {
          return Invalid(fmt::format("unknown function {}", instr.index), expr.offset);
        }
        t = ValType::FuncRef;
        break;
      case Opcode::GlobalGet:
        if (instr.index >= visible_globals) {
          return Invalid(fmt::format("unknown global {}", instr.index), expr.offset);
        }
        if (module.globals[instr.index].is_mutable) {
          return Invalid(
              fmt::format("constant expression required: global {} is mutable", instr.index),
              expr.offset);
        }
        t = module.globals[instr.index].type;
        break;
      default:
        return Invalid(
            fmt::format("constant expression required: `{}` is not constant", OpcodeText(instr.op)),
            expr.offset);
    }
    if (depth == std::size(stack))
      return Invalid("type mismatch: constant expression leaves too many values", expr.offset);
    stack[depth++] = t;
  }
  if (depth != 1 || stack[0] != expected) {
    return Invalid(fmt::format("type mismatch: constant expression must produce one {}",
                               ValTypeName(expected)),
                   expr.offset);
  }
  return Ok();
}

namespace {

Result<void> ValidateModuleParts(const ModuleInfo& module) {
  for (const Import& import : module.imports) {
    switch (import.kind) {
      case ExternKind::Func:
        TRY(ValidateTypeIndex(module, import.type_index, "imported function"));
        break;
      case ExternKind::Table: TRY(ValidateTableType(import.table)); break;
      case ExternKind::Memory: TRY(ValidateMemoryType(import.memory)); break;
      case ExternKind::Global: break;
    }
  }
  for (uint32_t f = module.num_imported_funcs; f < module.func_types.size(); ++f) {
    TRY(ValidateTypeIndex(module, module.func_types[f], "function"));
  }
  for (uint32_t t = module.num_imported_tables; t < module.tables.size(); ++t) {
    TRY(ValidateTableType(module.tables[t]));
  }
  if (module.memories.size() > 1) return Invalid("multiple memories");
  for (uint32_t m = module.num_imported_memories; m < module.memories.size(); ++m) {
    TRY(ValidateMemoryType(module.memories[m]));
  }
  for (size_t g = 0; g < module.global_inits.size(); ++g) {
    const GlobalType& type = module.globals[module.num_imported_globals + g];
    TRY(ValidateConstExpr(module, module.global_inits[g], type.type, module.num_imported_globals));
  }

  std::unordered_set<std::string_view> export_names;
  for (const Export& e : module.exports) {
    if (!export_names.insert(e.name).second)
      return Invalid(fmt::format("duplicate export name \"{}\"", e.name));
    TRY(ValidateExportIndex(module, e));
  }

  if (module.start) {
    if (*module.start >= module.func_types.size()) {
      return Invalid(fmt::format("unknown function {} (start function)", *module.start));
    }
    const FuncType& type = module.func_type(*module.start);
    if (!type.params.empty() || !type.results.empty()) {
      return Invalid(
          fmt::format("start function must have type [] -> [], not {}", type.ToString()));
    }
  }

  TRY(ValidateElements(module));
  TRY(ValidateDatas(module));
  return Ok();
}

}  // namespace

Result<void> ValidateModule(const ModuleInfo& module) {
  Result<void> result = ValidateModuleParts(module);
  if (!result.ok()) return PreferMalformed(module, std::move(result).error());
  return Ok();
}

}  // namespace wasmgrind
