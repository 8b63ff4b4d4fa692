// `wasmgrind run` (see run_command.h). The Linker holds the WASI preview1 imports; any other
// import fails to instantiate with the Unlinkable error naming it.
#include "run_command.h"

#include <fmt/format.h>
#include <signal.h>

#include <algorithm>
#include <fstream>

#include "exit_codes.h"
#include "fault_report.h"
#include "file_io.h"
#include "invoke_args.h"
#include "memcheck_session.h"
#include "perf_map.h"
#include "vm/jit/engine.h"
#include "vm/runtime/api.h"
#include "wasi_context.h"
#include "wasi_options.h"
#include "wasi_run.h"

namespace wasmgrind {
namespace {

// How a trap is reported (run_command.h).
struct TrapReporter {
  const RunOptions& options;
  Symbolizer symbols;
};

int ReportTrap(const Error& e, TrapReporter* reporter, std::ostream& err) {
  if (reporter == nullptr) {
    err << "wasm trap: " << e.message << "\n";
    return kExitTrap;
  }
  WriteTrapSummary(e, reporter->symbols, err);
  if (reporter->options.fault_report) WriteFullFaultReport(e, reporter->symbols, err);
  if (const auto& path = reporter->options.fault_report_json) {
    std::ofstream file(*path, std::ios::binary | std::ios::trunc);
    file << FaultReportJson(e, reporter->symbols).dump(2) << "\n";
    file.close();
    if (!file)
      err << "wasmgrind: error: cannot write the fault report to " << path->string() << "\n";
  }
  return kExitTrap;
}

// The exit status for proc_exit(code) (exit_codes.h): the code itself when the OS can carry
// it unambiguously, else one error line and kExitBadProcExit.
int ExitStatusOfProcExit(uint32_t code, std::ostream& err) {
  if (code <= kMaxProcExitCode) return static_cast<int>(code);
  err << fmt::format(
      "wasmgrind: error: the program exited with code {}, outside WASI's range "
      "0..{}: exit status {}\n",
      code, kMaxProcExitCode, kExitBadProcExit);
  return kExitBadProcExit;
}

// Reports an error from compiling, instantiating or calling, and picks the exit status.
int ReportError(const Error& e, std::ostream& err, TrapReporter* reporter = nullptr) {
  switch (e.kind) {
    case ErrorKind::Trap: return ReportTrap(e, reporter, err);
    case ErrorKind::Exit: return ExitStatusOfProcExit(static_cast<uint32_t>(e.exit_code), err);
    default: {
      std::string msg = e.message;
      if (e.offset) msg += fmt::format(" (at offset 0x{:x})", *e.offset);
      err << "wasmgrind: error: " << msg << "\n";
      return kExitError;
    }
  }
}

std::string_view KindPrefix(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Malformed: return "malformed module: ";
    case ErrorKind::Invalid: return "invalid module: ";
    case ErrorKind::Unlinkable: return "cannot link module: ";
    default: return "";
  }
}

Error WithPrefix(Error e) {
  e.message = std::string(KindPrefix(e.kind)) + e.message;
  return e;
}

// The guest's view of the command line: argv, environment (--inherit-env first, so --env
// overrides it) and preopened directories.
Result<wasi::WasiOptions> MakeWasiOptions(const RunOptions& options) {
  wasi::WasiOptions wasi;
  wasi.args.push_back(options.module.string());
  if (!options.invoke) wasi.args.insert(wasi.args.end(), options.args.begin(), options.args.end());
  if (options.inherit_env) wasi.env = wasi::HostEnvironment();
  for (const std::string& spec : options.env) {
    TRY_ASSIGN(auto var, wasi::ParseEnvVar(spec));
    std::erase_if(wasi.env, [&](const auto& kv) { return kv.first == var.first; });
    wasi.env.push_back(std::move(var));
  }
  for (const std::string& spec : options.dirs) {
    TRY_ASSIGN(wasi::Preopen preopen, wasi::ParsePreopen(spec));
    wasi.preopens.push_back(std::move(preopen));
  }
  return wasi;
}

// The export `name` of `info` as a function to call, or a one-line Usage error: missing,
// of another kind, or (with `want_type`) of another type.
Result<const Export*> FindFunctionExport(const ModuleInfo& info, const std::string& name,
                                         const std::filesystem::path& module,
                                         const FuncType* want_type = nullptr) {
  const Export* exp = nullptr;
  for (const Export& e : info.exports)
    if (e.name == name) exp = &e;
  if (!exp)
    return Error::Make(ErrorKind::Usage,
                       fmt::format("no exported function \"{}\" in {}", name, module.string()));
  if (exp->kind != ExternKind::Func)
    return Error::Make(ErrorKind::Usage,
                       fmt::format("the export \"{}\" of {} is a {}, not a function", name,
                                   module.string(), ExternKindName(exp->kind)));
  const FuncType& type = info.func_type(exp->index);
  if (want_type && type != *want_type)
    return Error::Make(ErrorKind::Usage,
                       fmt::format("the function \"{}\" of {} has type {}, not {}", name,
                                   module.string(), type.ToString(), want_type->ToString()));
  return exp;
}

// While `run` runs, a write to a closed pipe fails with EPIPE, which the guest sees as its
// errno (as under node), instead of SIGPIPE killing wasmgrind silently. The previous
// disposition comes back on return, for in-process callers.
class ScopedIgnoreSigpipe {
 public:
  ScopedIgnoreSigpipe() {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGPIPE, &ignore, &previous_);
  }
  ~ScopedIgnoreSigpipe() { sigaction(SIGPIPE, &previous_, nullptr); }
  ScopedIgnoreSigpipe(const ScopedIgnoreSigpipe&) = delete;
  ScopedIgnoreSigpipe& operator=(const ScopedIgnoreSigpipe&) = delete;

 private:
  struct sigaction previous_ {};
};

}  // namespace

int RunRunCommand(const RunOptions& options, std::ostream& out, std::ostream& err) {
  ScopedIgnoreSigpipe sigpipe_ignored;
  auto bytes = ReadBinaryFile(options.module);
  if (!bytes.ok()) return ReportError(bytes.error(), err);

  Engine engine(EngineOptions{
      .replace_libc_functions = options.libc_replacements,
      .verify_jit_invariants = options.verify_jit,
      .max_wasm_stack = options.max_wasm_stack,
      .check_c_stack = options.stack_check,
      .memcheck = options.memcheck,
      .memcheck_values = options.memcheck && options.memcheck_options.undef_value_errors,
      .memcheck_origins = options.memcheck && options.memcheck_options.track_origins});
  auto module = Module::Compile(engine, std::move(bytes).value());
  if (!module.ok()) return ReportError(WithPrefix(module.error()), err);
  TrapReporter reporter{options, {}};
  reporter.symbols.SetLabel(module->get(), options.module.filename().string());
  if (options.perf_map) {
    Result<void> written = WritePerfMap(**module, reporter.symbols);
    if (!written.ok()) return ReportError(written.error(), err);
  }

  Function* entry = nullptr;
  std::vector<Value> args;
  // Look the export up before instantiating so that a typo does not run a start function.
  const ModuleInfo& info = (*module)->info();
  if (options.invoke) {
    auto exp = FindFunctionExport(info, *options.invoke, options.module);
    if (!exp.ok()) return ReportError(exp.error(), err);
    auto parsed = ParseCliArgs(info.func_type((*exp)->index).params, options.args);
    if (!parsed.ok()) {
      Error e = std::move(parsed).error();
      e.message = fmt::format("--invoke {}: {}", *options.invoke, e.message);
      return ReportError(e, err);
    }
    args = std::move(parsed).value();
  } else if (std::any_of(info.exports.begin(), info.exports.end(),
                         [](const Export& e) { return e.name == "_start"; })) {
    // A WASI command's entry point takes and returns nothing.
    static const FuncType kStartType{};
    auto exp = FindFunctionExport(info, "_start", options.module, &kStartType);
    if (!exp.ok()) return ReportError(exp.error(), err);
  }

  auto wasi_options = MakeWasiOptions(options);
  if (!wasi_options.ok()) return ReportError(wasi_options.error(), err);
  auto wasi_ctx = wasi::WasiContext::Create(*wasi_options);
  if (!wasi_ctx.ok()) return ReportError(wasi_ctx.error(), err);
  // The checkers' frame names live in the session: declared before the store that owns them.
  std::optional<MemcheckSession> memcheck;
  if (options.memcheck) {
    std::vector<std::string> command = {options.module.string()};
    command.insert(command.end(), options.args.begin(), options.args.end());
    // The engine tracks V bits exactly when the checker reports undefined values.
    memcheck::MemcheckOptions checker_options = options.memcheck_options;
    checker_options.track_definedness = checker_options.undef_value_errors;
    memcheck.emplace(checker_options, reporter.symbols, options.tool_args, command);
  }
  // Declared after the context: host functions refer to it until the store is gone.
  Store store(engine);
  if (memcheck) store.SetMemcheckFactory(memcheck->Factory());
  Linker linker;
  auto instance = wasi::InstantiateWithWasi(**wasi_ctx, store, linker, std::move(module).value());
  if (!instance.ok()) return ReportError(WithPrefix(instance.error()), err, &reporter);
  if (memcheck) memcheck->TrackFds(**wasi_ctx, **instance);

  entry = (*instance)->GetFunction(options.invoke.value_or("_start"));
  if (!entry) {
    if (options.invoke)  // checked above; an instance that disagrees with its module is our bug
      return ReportError(
          Error::Make(ErrorKind::Internal, fmt::format("export \"{}\" vanished", *options.invoke)),
          err);
    if (!options.args.empty())
      return ReportError(Error::Make(ErrorKind::Usage,
                                     "the module exports no _start function: use --invoke NAME "
                                     "to call an export with ARGS"),
                         err);
    return kExitOk;
  }
  auto results = store.Call(entry, args);
  int status = kExitOk;
  if (!results.ok()) {
    if (memcheck && results.error().kind == ErrorKind::Trap)
      memcheck->OnTrap(results.error(), **instance);
    status = ReportError(results.error(), err, &reporter);
  } else if (options.invoke) {
    for (const Value& v : *results) out << FormatCliValue(v) << "\n";
  }
  out.flush();
  if (memcheck) status = memcheck->Finish(status, *instance);
  return status;
}

}  // namespace wasmgrind
