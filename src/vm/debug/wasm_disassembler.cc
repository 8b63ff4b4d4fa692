// The wasm disassembler: immediates by ImmKind, bodies through DecodeFunction.
#include "vm/debug/wasm_disassembler.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "vm/debug/function_names.h"
#include "vm/decode/decode_function.h"

namespace wasmgrind {

namespace {

// Shared by FormatF32/FormatF64: Bits is the raw integer type, Float the value type.
template <typename Float, typename Bits, int kMantissaBits>
std::string FormatFloat(Bits bits) {
  const Float value = std::bit_cast<Float>(bits);
  const bool negative = (bits >> (sizeof(Bits) * 8 - 1)) != 0;
  const char* sign = negative ? "-" : "";
  if (std::isnan(value)) {
    const Bits payload = bits & ((Bits{1} << kMantissaBits) - 1);
    const Bits canonical = Bits{1} << (kMantissaBits - 1);
    if (payload == canonical) return fmt::format("{}nan", sign);
    return fmt::format("{}nan:0x{:x}", sign, payload);
  }
  if (std::isinf(value)) return fmt::format("{}inf", sign);
  return fmt::format("{:a}", value);
}

std::string BlockTypeText(const BlockType& block) {
  switch (block.kind) {
    case BlockType::Kind::Empty: return "";
    case BlockType::Kind::Value: return fmt::format(" (result {})", ValTypeName(block.value));
    case BlockType::Kind::TypeIndex: return fmt::format(" (type {})", block.type_index);
  }
  return "";
}

std::string FunctionLabel(uint32_t index, const ModuleInfo& module, const FunctionNames* names) {
  return names != nullptr ? names->Name(index) : module.FunctionName(index);
}

// " <name>" for a global the name section names, else nothing.
std::string GlobalLabel(uint32_t index, const ModuleInfo& module) {
  auto it = module.names.globals.find(index);
  return it == module.names.globals.end() ? "" : fmt::format(" <{}>", it->second);
}

std::string MemArgText(const Instr& instr) {
  std::string out;
  if (instr.mem.offset != 0) out += fmt::format(" offset={}", instr.mem.offset);
  if (instr.mem.align_log2 < 64)
    out += fmt::format(" align={}", uint64_t{1} << instr.mem.align_log2);
  return out;
}

}  // namespace

std::string FormatF32(uint32_t bits) { return FormatFloat<float, uint32_t, 23>(bits); }
std::string FormatF64(uint64_t bits) { return FormatFloat<double, uint64_t, 52>(bits); }

std::string FormatInstr(const Instr& instr, const ModuleInfo& module, const FunctionNames* names) {
  const OpcodeInfo& info = Info(instr.op);
  std::string text(info.text);
  switch (info.imm) {
    case ImmKind::None:
    case ImmKind::MemoryCopy:  // memory indexes are 0 until multi-memory; the text omits them
    case ImmKind::Memory: break;
    case ImmKind::Block: text += BlockTypeText(instr.block); break;
    case ImmKind::Label:
    case ImmKind::Local:
    case ImmKind::Table:
    case ImmKind::Data:
    case ImmKind::Elem: text += fmt::format(" {}", instr.index); break;
    case ImmKind::Global:
      text += fmt::format(" {}{}", instr.index, GlobalLabel(instr.index, module));
      break;
    case ImmKind::Func:
      text += fmt::format(" {} <{}>", instr.index, FunctionLabel(instr.index, module, names));
      break;
    case ImmKind::BrTable:
      for (uint32_t target : instr.br_targets) text += fmt::format(" {}", target);
      break;
    case ImmKind::CallIndirect:
      if (instr.index2 != 0) text += fmt::format(" {}", instr.index2);
      text += fmt::format(" (type {})", instr.index);
      break;
    case ImmKind::MemArg: text += MemArgText(instr); break;
    case ImmKind::I32: text += fmt::format(" {}", static_cast<int32_t>(instr.bits)); break;
    case ImmKind::I64: text += fmt::format(" {}", static_cast<int64_t>(instr.bits)); break;
    case ImmKind::F32: text += " " + FormatF32(static_cast<uint32_t>(instr.bits)); break;
    case ImmKind::F64: text += " " + FormatF64(instr.bits); break;
    case ImmKind::SelectT: text += fmt::format(" (result {})", ValTypeName(instr.type)); break;
    case ImmKind::RefNull: text += instr.type == ValType::FuncRef ? " func" : " extern"; break;
    case ImmKind::MemoryInit: text += fmt::format(" {}", instr.index); break;
    case ImmKind::TableInit:  // text order: table then element segment; table 0 is implied
      if (instr.index2 != 0) text += fmt::format(" {}", instr.index2);
      text += fmt::format(" {}", instr.index);
      break;
    case ImmKind::TableCopy:
      if (instr.index != 0 || instr.index2 != 0) {
        text += fmt::format(" {} {}", instr.index, instr.index2);
      }
      break;
  }
  return text;
}

namespace {

// Prints each instruction at its block depth: `else` and `end` line up with their opener.
class BodyPrinter {
 public:
  BodyPrinter(const ModuleInfo& module, const FunctionNames* names, std::string& out)
      : module_(module), names_(names), out_(out) {}

  Result<void> OnInstr(const Instr& instr, const FunctionValidator&) {
    uint32_t depth = depth_;
    if (instr.op == Opcode::End && depth_ > 0) depth = --depth_;
    if (instr.op == Opcode::Else && depth_ > 0) depth = depth_ - 1;
    out_ += fmt::format(" {:06x}: {:{}}{}\n", instr.offset, "", depth * 2,
                        FormatInstr(instr, module_, names_));
    if (OpensFrame(instr.op)) ++depth_;
    return Ok();
  }

 private:
  const ModuleInfo& module_;
  const FunctionNames* names_;
  std::string& out_;
  uint32_t depth_ = 0;
};

// Formats the instruction at one offset of a body.
class InstrFinder {
 public:
  InstrFinder(const ModuleInfo& module, const FunctionNames* names, uint32_t offset)
      : module_(module), names_(names), offset_(offset) {}

  Result<void> OnInstr(const Instr& instr, const FunctionValidator&) {
    if (instr.offset == offset_) found_ = FormatInstr(instr, module_, names_);
    return Ok();
  }
  std::optional<std::string>& found() { return found_; }

 private:
  const ModuleInfo& module_;
  const FunctionNames* names_;
  uint32_t offset_;
  std::optional<std::string> found_;
};

// Keeps the instruction at one offset of a body.
class InstrCapture {
 public:
  explicit InstrCapture(uint32_t offset) : offset_(offset) {}
  Result<void> OnInstr(const Instr& instr, const FunctionValidator&) {
    if (instr.offset == offset_) {
      found_ = instr;
      found_->br_targets = {};
    }
    return Ok();
  }
  std::optional<Instr>& found() { return found_; }

 private:
  uint32_t offset_;
  std::optional<Instr> found_;
};

}  // namespace

Result<std::string> DisassembleFunction(const ModuleInfo& module, uint32_t func_index,
                                        const FunctionNames* names) {
  if (func_index < module.num_imported_funcs || func_index >= module.func_types.size()) {
    return Error::Make(ErrorKind::Usage,
                       fmt::format("function {} is not defined in this module", func_index));
  }
  const uint32_t defined_index = func_index - module.num_imported_funcs;
  const FuncType& type = module.func_type(func_index);
  std::string out = fmt::format("func[{}] <{}>: {}\n", func_index,
                                FunctionLabel(func_index, module, names), type.ToString());
  uint32_t local_index = static_cast<uint32_t>(type.params.size());
  for (const LocalDecl& decl : module.codes[defined_index].locals) {
    if (decl.count == 0) continue;
    out += fmt::format(" local[{}..{}] {}\n", local_index, local_index + decl.count - 1,
                       ValTypeName(decl.type));
    local_index += decl.count;
  }
  BodyPrinter printer(module, names, out);
  TRY(DecodeFunction(module, defined_index, printer));
  return out;
}

std::optional<uint32_t> FunctionAtOffset(const ModuleInfo& module, uint32_t module_offset) {
  // Bodies are laid out in index order, so their offsets ascend.
  auto it = std::upper_bound(
      module.codes.begin(), module.codes.end(), module_offset,
      [](uint32_t offset, const FunctionBody& body) { return offset < body.body_offset; });
  if (it == module.codes.begin()) return std::nullopt;
  --it;
  if (module_offset >= it->body_end) return std::nullopt;
  return module.num_imported_funcs + static_cast<uint32_t>(it - module.codes.begin());
}

std::optional<Instr> DecodeInstrAt(const ModuleInfo& module, uint32_t module_offset) {
  std::optional<uint32_t> func_index = FunctionAtOffset(module, module_offset);
  if (!func_index) return std::nullopt;
  InstrCapture capture(module_offset);
  if (!DecodeFunction(module, *func_index - module.num_imported_funcs, capture).ok())
    return std::nullopt;
  return capture.found();
}

Result<std::string> FormatInstrAt(const ModuleInfo& module, uint32_t module_offset,
                                  const FunctionNames* names) {
  std::optional<uint32_t> func_index = FunctionAtOffset(module, module_offset);
  if (!func_index) {
    return Error::Make(ErrorKind::Usage, "no function body holds this offset", module_offset);
  }
  InstrFinder finder(module, names, module_offset);
  TRY(DecodeFunction(module, *func_index - module.num_imported_funcs, finder));
  if (!finder.found()) {
    return Error::Make(ErrorKind::Usage, "no instruction starts at this offset", module_offset);
  }
  return std::move(*finder.found());
}

}  // namespace wasmgrind
