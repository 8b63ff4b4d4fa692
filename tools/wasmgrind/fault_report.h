// The trap report of `wasmgrind run`, from the TrapInfo the runtime attaches to a trap's Error.
//
//  - WriteTrapSummary: always printed on a trap: the reason, the memory fault (wasm address,
//    memory index and size, access size and direction) and the wasm backtrace with function
//    names and source locations.
//  - WriteFullFaultReport (--fault-report): adds the signal, the faulting host instruction and
//    its neighbours (Capstone), the general registers, the faulting wasm instruction (our opcode
//    table), every memory of the instance and the backtrace with host PCs.
//  - FaultReportJson (--fault-report-json FILE): the same as JSON; the schema is documented in
//    docs/fault-report.md and versioned by its "version" field.
#pragma once

#include <nlohmann/json.hpp>

#include <ostream>
#include <vector>

#include "symbolizer.h"
#include "vm/jit/native_disassembler.h"
#include "vm/result.h"
#include "vm/trap_info.h"

namespace wasmgrind {

void WriteTrapSummary(const Error& error, Symbolizer& symbols, std::ostream& out);
void WriteFullFaultReport(const Error& error, Symbolizer& symbols, std::ostream& out);
nlohmann::ordered_json FaultReportJson(const Error& error, Symbolizer& symbols);

// Shared by the text and JSON reports.
struct NativeWindow {
  std::vector<NativeInstr> instrs;
  size_t faulting = SIZE_MAX;  // index of the faulting (or trap-calling) instruction
};
// Up to `before` instructions before the one at the trap's PC and `after` after it, from the
// start of the trapping function's native code. Empty if the PC is not in a known module.
NativeWindow NativeAround(const TrapInfo& info, size_t before, size_t after);
// The trap in words for this program, where there is more to say than the spec's text:
// TrapInfo::detail (bad function pointers), or "the program called abort()" for an unreachable
// executed in `abort` (abort, failed asserts, libc++'s throws without exceptions).
std::optional<std::string> TrapDetail(const Error& error, Symbolizer& symbols);
// Whether the trap is an unreachable executed in `abort` (see TrapDetail).
bool TrapCalledAbort(const TrapInfo& info, Symbolizer& symbols);
// Whether the frame's function ran as wasmgrind's native libc replacement (its source lines are
// then not what ran).
bool IsNativeReplacement(const TrapFrame& frame);
// "label: explanation" for each module of the backtrace whose debug info was destroyed after
// linking (lost_debug_info.h), each module once.
std::vector<std::string> LostDebugInfoNotes(const TrapInfo& info, Symbolizer& symbols);
// "SIGSEGV", "SIGBUS", ... or "" for 0.
std::string SignalName(int signal);

}  // namespace wasmgrind
