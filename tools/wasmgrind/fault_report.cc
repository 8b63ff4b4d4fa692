// The text trap reports (see fault_report.h).
#include "fault_report.h"

#include <fmt/format.h>
#include <signal.h>

#include <algorithm>
#include <cstddef>

#include "vm/debug/wasm_disassembler.h"
#include "vm/jit/compiled_code.h"

namespace wasmgrind {
namespace {

std::string LocationText(const SourceLocation& loc) {
  std::string text = fmt::format("{}:{}", loc.file, loc.line);
  if (loc.column != 0) text += fmt::format(":{}", loc.column);
  return text;
}

// The lines of one physical frame: its inlined callees first (innermost first), then itself;
// `index` numbers the lines and is advanced past them.
void WriteFrame(const TrapFrame& frame, size_t& index, Symbolizer& symbols, bool with_pc,
                std::ostream& out) {
  const std::string prefix =
      fmt::format("0x{:x} - {}!", frame.module_offset, symbols.Label(*frame.module));
  const std::string host = with_pc ? fmt::format("  [host pc 0x{:x}]", frame.pc) : "";
  if (IsNativeReplacement(frame)) {
    out << fmt::format(
        "  {}: {}{} (wasmgrind's native replacement; --no-libc-replacements runs "
        "the module's own){}\n",
        index++, prefix, symbols.FunctionName(*frame.module, frame.func_index), host);
    return;
  }
  for (const SourceFrame& f :
       symbols.Frames(*frame.module, frame.func_index, frame.module_offset)) {
    std::string line = fmt::format("  {}: {}{}", index++, prefix, f.function);
    if (f.source) line += " at " + LocationText(*f.source);
    if (f.inlined) line += " [inlined]";
    out << line << host << "\n";
  }
}

void WriteBacktrace(const TrapInfo& info, Symbolizer& symbols, bool with_pc, std::ostream& out) {
  if (info.backtrace.empty()) return;
  out << "wasm backtrace:\n";
  size_t index = 0;
  for (size_t i = 0; i < info.backtrace.size(); ++i) {
    if (info.frames_omitted != 0 && i == info.omitted_at) {
      // Valgrind's "..." for a cut stack, with the count; numbering resumes at the true depth.
      out << fmt::format("  ... {} frames left out ...\n", info.frames_omitted);
      index += info.frames_omitted;
    }
    WriteFrame(info.backtrace[i], index, symbols, with_pc, out);
  }
}

}  // namespace

std::vector<std::string> LostDebugInfoNotes(const TrapInfo& info, Symbolizer& symbols) {
  std::vector<const Module*> seen;
  std::vector<std::string> notes;
  for (const TrapFrame& frame : info.backtrace) {
    if (!frame.module || std::find(seen.begin(), seen.end(), frame.module.get()) != seen.end())
      continue;
    seen.push_back(frame.module.get());
    if (auto note = symbols.LostDebugInfo(*frame.module))
      notes.push_back(fmt::format("{}: {}", symbols.Label(*frame.module), *note));
  }
  return notes;
}

bool TrapCalledAbort(const TrapInfo& info, Symbolizer& symbols) {
  // wasi-libc's abort() is __builtin_trap(): unreachable, in abort. assert() and libc++'s
  // throws built with -fno-exceptions end there too, after printing their message.
  if (info.kind != TrapKind::Unreachable || info.backtrace.empty() || !info.backtrace[0].module ||
      info.backtrace[0].pc != info.pc) {
    return false;
  }
  const TrapFrame& top = info.backtrace[0];
  return symbols.FunctionName(*top.module, top.func_index) == "abort";
}

std::optional<std::string> TrapDetail(const Error& error, Symbolizer& symbols) {
  if (!error.trap_info) return std::nullopt;
  const TrapInfo& info = *error.trap_info;
  if (!info.detail.empty()) return info.detail;
  if (TrapCalledAbort(info, symbols)) return "the program called abort()";
  return std::nullopt;
}

bool IsNativeReplacement(const TrapFrame& frame) {
  if (!frame.module) return false;
  const Module& module = *frame.module;
  uint32_t imported = module.info().num_imported_funcs;
  return frame.func_index >= imported &&
         module.code().function(frame.func_index - imported).native_replacement;
}

std::string SignalName(int signal) {
  switch (signal) {
    case 0: return "";
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    default: return fmt::format("signal {}", signal);
  }
}

NativeWindow NativeAround(const TrapInfo& info, size_t before, size_t after) {
  NativeWindow window;
  if (info.backtrace.empty() || info.backtrace[0].pc != info.pc || !info.backtrace[0].module)
    return window;
  const Module& module = *info.backtrace[0].module;
  const CompiledCode& code = module.code();
  // For an explicit trap the PC is a return address: the call is the instruction before it.
  uintptr_t target = info.signal != 0 ? info.pc : info.pc - 1;
  std::optional<uint32_t> defined = code.FunctionAt(target);
  if (!defined) return window;
  const FunctionCodeInfo& f = code.function(*defined);
  const uint8_t* begin = code.CodeBase(*defined) + f.code_offset;
  NativeDisassembler disassembler;
  std::vector<NativeInstr> all =
      disassembler.Disassemble(begin, f.code_size, reinterpret_cast<uintptr_t>(begin));
  size_t hit = SIZE_MAX;
  for (size_t i = 0; i < all.size(); ++i)
    if (all[i].address <= target && target < all[i].address + all[i].size) hit = i;
  if (hit == SIZE_MAX) return window;
  size_t first = hit > before ? hit - before : 0;
  size_t last = std::min(all.size(), hit + after + 1);
  window.instrs.assign(all.begin() + static_cast<std::ptrdiff_t>(first),
                       all.begin() + static_cast<std::ptrdiff_t>(last));
  window.faulting = hit - first;
  return window;
}

void WriteTrapSummary(const Error& error, Symbolizer& symbols, std::ostream& out) {
  out << "wasm trap: " << TrapDetail(error, symbols).value_or(error.message) << "\n";
  if (!error.trap_info) return;
  const TrapInfo& info = *error.trap_info;
  if (const auto& m = info.memory_fault) {
    out << fmt::format("  memory fault at wasm address 0x{:x} in linear memory {} of size 0x{:x}",
                       m->wasm_address, m->memory_index, m->memory_size);
    if (m->access_size != 0)
      out << fmt::format(" ({}-byte {})", m->access_size, m->is_store ? "store" : "load");
    out << "\n";
  }
  WriteBacktrace(info, symbols, /*with_pc=*/false, out);
  for (const std::string& note : LostDebugInfoNotes(info, symbols)) out << "note: " << note << "\n";
}

void WriteFullFaultReport(const Error& error, Symbolizer& symbols, std::ostream& out) {
  out << "fault report:\n";
  if (!error.trap_info) {
    out << "  (no details: the trap did not come from wasm code)\n";
    return;
  }
  const TrapInfo& info = *error.trap_info;
  out << fmt::format("  trap: {} ({})", TrapMessage(info.kind), TrapKindName(info.kind));
  if (info.signal != 0)
    out << fmt::format(", signal {} ({})", SignalName(info.signal), info.signal);
  else
    out << ", explicit check (no signal)";
  out << "\n";
  if (info.signal != 0)
    out << fmt::format("  faulting host pc 0x{:x}, fault address 0x{:x}\n", info.pc,
                       info.fault_address);
  else if (info.pc != 0)
    out << fmt::format("  trap raised by the call returning to host pc 0x{:x}\n", info.pc);
  if (!info.backtrace.empty() && info.backtrace[0].pc == info.pc) {
    const TrapFrame& top = info.backtrace[0];
    std::string text = "(cannot decode)";
    if (IsNativeReplacement(top)) {
      text = fmt::format("none: wasmgrind's native {} ran instead of the function's code",
                         symbols.FunctionName(*top.module, top.func_index));
    } else if (Result<std::string> instr = FormatInstrAt(top.module->info(), top.module_offset,
                                                         &symbols.Names(*top.module));
               instr.ok()) {
      text = *instr;
    }
    out << fmt::format("  wasm instruction: {}!0x{:x}: {}\n", symbols.Label(*top.module),
                       top.module_offset, text);
  }
  // For an explicit trap the host code is only the call of the trap stub: noise. It shows the
  // faulting instruction of a memory fault (the JSON report keeps it in every case).
  NativeWindow window = info.signal != 0 ? NativeAround(info, 6, 4) : NativeWindow{};
  if (!window.instrs.empty()) {
    out << "  host code:\n";
    for (size_t i = 0; i < window.instrs.size(); ++i) {
      const NativeInstr& n = window.instrs[i];
      out << fmt::format("  {} 0x{:x}: {:<30} {} {}\n", i == window.faulting ? "=>" : "  ",
                         n.address, n.bytes, n.mnemonic, n.operands);
    }
  }
  if (info.has_registers) {
    out << "  registers:\n";
    for (size_t i = 0; i < kTrapRegisterCount; ++i) {
      out << fmt::format("{}{:>6} 0x{:016x}", i % 4 == 0 ? "   " : "  ", kTrapRegisterNames[i],
                         info.registers[i]);
      if (i % 4 == 3 || i + 1 == kTrapRegisterCount) out << "\n";
    }
  }
  if (!info.memories.empty()) {
    out << "  memories of the instance:\n";
    for (const TrapMemory& m : info.memories) {
      out << fmt::format(
          "    memory {}: host 0x{:x}..0x{:x}, size 0x{:x}, max 0x{:x}, reserved 0x{:x} "
          "(guard 0x{:x})\n",
          m.index, m.host_base, m.host_base + m.reserved, m.size, m.max_size, m.reserved, m.guard);
    }
  }
  WriteBacktrace(info, symbols, /*with_pc=*/true, out);
}

}  // namespace wasmgrind
