// The JSON fault report (see fault_report.h; schema: docs/fault-report.md). Host addresses are
// hex strings (they do not fit a JSON number exactly); wasm offsets, addresses and sizes are
// numbers (below 2^53).
#include <fmt/format.h>

#include "fault_report.h"
#include "vm/debug/wasm_disassembler.h"

namespace wasmgrind {
namespace {

using json = nlohmann::ordered_json;

std::string Hex(uint64_t v) { return fmt::format("0x{:x}", v); }

// The entries of one physical frame: its inlined callees (innermost first), then itself.
void AddFrameJson(const TrapFrame& frame, Symbolizer& symbols, json& backtrace) {
  auto entry = [&](const std::string& function, const std::optional<SourceLocation>& loc,
                   bool inlined) {
    json j = {{"index", backtrace.size()},
              {"module", symbols.Label(*frame.module)},
              {"func_index", frame.func_index},
              {"function", function},
              {"offset", frame.module_offset},
              {"pc", Hex(frame.pc)},
              {"native_replacement", IsNativeReplacement(frame)},
              {"inlined", inlined},
              {"source", nullptr}};
    if (loc) j["source"] = {{"file", loc->file}, {"line", loc->line}, {"column", loc->column}};
    backtrace.push_back(std::move(j));
  };
  if (IsNativeReplacement(frame)) {
    entry(symbols.FunctionName(*frame.module, frame.func_index), std::nullopt, false);
    return;
  }
  for (const SourceFrame& f : symbols.Frames(*frame.module, frame.func_index, frame.module_offset))
    entry(f.function, f.source, f.inlined);
}

}  // namespace

json FaultReportJson(const Error& error, Symbolizer& symbols) {
  json report = {
      {"version", 1},
      {"trap",
       {{"kind", TrapKindName(error.trap)}, {"message", error.message}, {"detail", nullptr}}}};
  report["wasm_instruction"] = nullptr;
  report["memory_fault"] = nullptr;
  report["host"] = nullptr;
  report["memories"] = json::array();
  report["backtrace"] = json::array();
  report["backtrace_omitted"] = nullptr;
  report["notes"] = json::array();
  if (!error.trap_info) return report;
  const TrapInfo& info = *error.trap_info;
  std::optional<std::string> detail = TrapDetail(error, symbols);
  report["trap"]["detail"] = detail ? json(*detail) : json(nullptr);
  report["trap"]["signal"] = info.signal != 0 ? json(SignalName(info.signal)) : json(nullptr);
  report["trap"]["signal_number"] = info.signal;

  json host = {{"pc", Hex(info.pc)},
               {"fault_address", info.signal != 0 ? json(Hex(info.fault_address)) : json(nullptr)},
               {"registers", nullptr},
               {"instructions", json::array()}};
  if (info.has_registers) {
    json regs = json::object();
    for (size_t i = 0; i < kTrapRegisterCount; ++i)
      regs[kTrapRegisterNames[i]] = Hex(info.registers[i]);
    host["registers"] = regs;
  }
  NativeWindow window = NativeAround(info, 6, 4);
  for (size_t i = 0; i < window.instrs.size(); ++i) {
    const NativeInstr& n = window.instrs[i];
    host["instructions"].push_back(
        {{"address", Hex(n.address)},
         {"bytes", n.bytes},
         {"text", n.operands.empty() ? n.mnemonic : n.mnemonic + " " + n.operands},
         {"trapping", i == window.faulting}});
  }
  report["host"] = host;

  if (!info.backtrace.empty() && info.backtrace[0].pc == info.pc) {
    const TrapFrame& top = info.backtrace[0];
    // A native replacement ran none of the function's instructions: no text.
    Result<std::string> text =
        IsNativeReplacement(top)
            ? Result<std::string>(Error::Make(ErrorKind::Internal, "native replacement"))
            : FormatInstrAt(top.module->info(), top.module_offset, &symbols.Names(*top.module));
    report["wasm_instruction"] = {{"module", symbols.Label(*top.module)},
                                  {"offset", top.module_offset},
                                  {"text", text.ok() ? json(*text) : json(nullptr)}};
  }
  if (const auto& m = info.memory_fault) {
    report["memory_fault"] = {
        {"memory", m->memory_index},
        {"wasm_address", m->wasm_address},
        {"memory_size", m->memory_size},
        {"access_size", m->access_size},
        {"access", m->access_size == 0 ? json(nullptr) : json(m->is_store ? "store" : "load")},
        {"effective_address", m->effective_address}};
  }
  for (const TrapMemory& m : info.memories) {
    report["memories"].push_back({{"index", m.index},
                                  {"host_base", Hex(m.host_base)},
                                  {"size", m.size},
                                  {"max_size", m.max_size},
                                  {"reserved", m.reserved},
                                  {"guard", m.guard}});
  }
  for (size_t i = 0; i < info.backtrace.size(); ++i) {
    if (info.frames_omitted != 0 && i == info.omitted_at) {
      report["backtrace_omitted"] = {{"before_index", report["backtrace"].size()},
                                     {"frames", info.frames_omitted}};
    }
    AddFrameJson(info.backtrace[i], symbols, report["backtrace"]);
  }
  for (const std::string& note : LostDebugInfoNotes(info, symbols)) report["notes"].push_back(note);
  return report;
}

}  // namespace wasmgrind
