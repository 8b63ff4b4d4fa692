// `wasmgrind disas` (see disas_command.h).
//
// Layout per function: the wasm disassembly's header lines, the prologue's native code, then
// in native order each PC map entry: the wasm lines up to the instruction it belongs to, then
// its native instructions up to the next entry. Native code out of wasm order (trap stubs and
// other out-of-line code at the end of the function) follows the last entry it is attributed
// to, under a marker.
#include "disas_command.h"

#include <fmt/format.h>

#include <charconv>
#include <sstream>
#include <vector>

#include "exit_codes.h"
#include "file_io.h"
#include "symbolizer.h"
#include "vm/debug/wasm_disassembler.h"
#include "vm/jit/compiled_code.h"
#include "vm/jit/engine.h"
#include "vm/jit/native_disassembler.h"
#include "vm/runtime/api.h"

namespace wasmgrind {
namespace {

struct WasmLine {
  std::optional<uint32_t> offset;  // the instruction's module offset; nullopt for headers
  std::string text;
};

// Splits DisassembleFunction's text; instruction lines start with " <hex offset>:".
std::vector<WasmLine> SplitLines(const std::string& text) {
  std::vector<WasmLine> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    WasmLine l{std::nullopt, line};
    size_t start = line.find_first_not_of(' ');
    size_t colon = line.find(':');
    if (start != std::string::npos && colon != std::string::npos && colon > start) {
      uint32_t value = 0;
      auto [ptr, ec] = std::from_chars(line.data() + start, line.data() + colon, value, 16);
      if (ec == std::errc() && ptr == line.data() + colon) l.offset = value;
    }
    lines.push_back(std::move(l));
  }
  return lines;
}

// Native code of defined function `defined` from `begin` to `end` (offsets in its block).
void PrintNative(const NativeDisassembler& dis, const CompiledCode& code, uint32_t defined,
                 uint32_t begin, uint32_t end, std::ostream& out) {
  if (end <= begin) return;
  const uint8_t* p = code.CodeBase(defined) + begin;
  for (const NativeInstr& n : dis.Disassemble(p, end - begin, begin)) {
    out << fmt::format("        {:06x}:  {:<30} {} {}\n", n.address, n.bytes, n.mnemonic,
                       n.operands);
  }
}

Result<void> PrintFunction(const Module& module, uint32_t func_index, Symbolizer& symbols,
                           const NativeDisassembler& dis, std::ostream& out) {
  const ModuleInfo& info = module.info();
  TRY_ASSIGN(std::string text, DisassembleFunction(info, func_index, &symbols.Names(module)));
  std::vector<WasmLine> lines = SplitLines(text);
  const CompiledCode& code = module.code();
  const uint32_t defined = func_index - info.num_imported_funcs;
  const FunctionCodeInfo& f = code.function(defined);
  size_t next_line = 0;
  while (next_line < lines.size() && !lines[next_line].offset)
    out << lines[next_line++].text << "\n";
  uint32_t end = f.code_offset + f.code_size;
  uint32_t first = f.pc_map.empty() ? end : f.pc_map.front().native_offset;
  if (first > f.code_offset) {
    out << "    ;; prologue\n";
    PrintNative(dis, code, defined, f.code_offset, first, out);
  }
  for (size_t e = 0; e < f.pc_map.size(); ++e) {
    const PcMapEntry& entry = f.pc_map[e];
    size_t target = next_line;
    while (target < lines.size() && lines[target].offset != entry.wasm_offset) ++target;
    if (target < lines.size()) {
      while (next_line <= target) out << lines[next_line++].text << "\n";
    } else {
      out << fmt::format("    ;; out-of-line code for the instruction at {:06x}\n",
                         entry.wasm_offset);
    }
    uint32_t stop = e + 1 < f.pc_map.size() ? f.pc_map[e + 1].native_offset : end;
    PrintNative(dis, code, defined, entry.native_offset, stop, out);
  }
  while (next_line < lines.size()) out << lines[next_line++].text << "\n";
  out << "\n";
  return Ok();
}

// The function index --func names: a function name (as reports print it, or the name
// section's symbol: main's is __original_main), an export name, or a number.
std::optional<uint32_t> FindFunction(const Module& module, const std::string& name,
                                     Symbolizer& symbols) {
  const ModuleInfo& info = module.info();
  for (const Export& e : info.exports)
    if (e.kind == ExternKind::Func && e.name == name) return e.index;
  for (uint32_t i = info.num_imported_funcs; i < info.func_types.size(); ++i)
    if (symbols.FunctionName(module, i) == name) return i;
  for (const auto& [index, symbol] : info.names.functions)
    if (symbol == name && index >= info.num_imported_funcs) return index;
  uint32_t index = 0;
  auto [ptr, ec] = std::from_chars(name.data(), name.data() + name.size(), index);
  if (ec == std::errc() && ptr == name.data() + name.size() && index >= info.num_imported_funcs &&
      index < info.func_types.size())
    return index;
  return std::nullopt;
}

}  // namespace

int RunDisasCommand(const DisasOptions& options, std::ostream& out, std::ostream& err) {
  auto bytes = ReadBinaryFile(options.module);
  if (!bytes.ok()) {
    err << "wasmgrind: error: " << bytes.error().message << "\n";
    return kExitError;
  }
  Engine engine(
      EngineOptions{.map_every_instruction = true,
                    .verify_jit_invariants = options.verify_jit,
                    .check_c_stack = options.stack_check,
                    .memcheck = options.memcheck,
                    .memcheck_values = options.memcheck && options.undef_value_errors == "yes"});
  auto module = Module::Compile(engine, std::move(bytes).value());
  if (!module.ok()) {
    err << "wasmgrind: error: " << module.error().ToString() << "\n";
    return kExitError;
  }
  const Module& m = **module;
  Symbolizer symbols;
  NativeDisassembler dis;
  std::vector<uint32_t> funcs;
  if (options.func) {
    auto index = FindFunction(m, *options.func, symbols);
    if (!index) {
      err << "wasmgrind: error: no defined function \"" << *options.func << "\" in "
          << options.module.string() << "\n";
      return kExitError;
    }
    funcs.push_back(*index);
  } else {
    for (uint32_t i = m.info().num_imported_funcs; i < m.info().func_types.size(); ++i)
      funcs.push_back(i);
  }
  for (uint32_t index : funcs) {
    Result<void> r = PrintFunction(m, index, symbols, dis, out);
    if (!r.ok()) {
      err << "wasmgrind: error: " << r.error().ToString() << "\n";
      return kExitError;
    }
  }
  return kExitOk;
}

}  // namespace wasmgrind
