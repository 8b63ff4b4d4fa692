// Command-line parsing (see cli.h). CLI11 reports parse errors as exceptions; they are caught
// here and turned into one error line and exit status 2.
#include "cli.h"

#include <algorithm>
#include <CLI/CLI.hpp>

#include <optional>
#include <string>

#include "command_thread.h"
#include "disas_command.h"
#include "exit_codes.h"
#include "memcheck/memcheck_options.h"
#include "run_command.h"
#include "wast_command.h"

namespace wasmgrind {
namespace {

constexpr const char* kVerifyJitHelp =
    "Testing wasmgrind: JIT code checks the code generator's own invariants as it runs and stops "
    "with an internal error when one fails (slower; on in debug builds)";

constexpr const char* kRunFooter =
    "Exit status: 0 on success; the program's proc_exit code if it is 0..125 (a larger one\n"
    "prints an error line and gives 1); 134 if the program traps (\"wasm trap: <reason>\", the\n"
    "memory fault and the wasm backtrace on stderr);\n"
    "2 on a usage, file or module error (one \"wasmgrind: error: ...\" line on stderr).\n"
    "Options go before PROG.wasm: everything after it is an argument (so `-5` needs no `--`).";

constexpr const char* kWastFooter =
    "Each file is converted with wabt's wast2json (must be on PATH). Failures print as\n"
    "FILE.wast:LINE: <expected> / <what happened>; the run ends with `N passed, N failed`.\n"
    "Exit status: 0 if nothing failed (with --known-failures: if the failures are exactly the\n"
    "listed ones); 1 otherwise; 2 on a usage or file error; 77 if wast2json is not installed.";

constexpr const char* kMaxWasmStackHelp =
    "Native stack that wasm frames may use (default 1M: 1 MiB), as a number of bytes with an "
    "optional K, M or G suffix (KiB, MiB, GiB), from 4K to 1G. Deeper recursion traps with "
    "\"call stack exhausted\". The program runs on a thread whose stack wasmgrind sizes for "
    "this, so `ulimit -s` does not change it";

// `run`'s Valgrind options (memcheck::MemcheckOptionHelp), each given one collected into
// `args` as Valgrind spells it, for ApplyMemcheckOption after parsing.
void AddMemcheckOptions(CLI::App& run_cmd, std::vector<std::string>& args) {
  for (const memcheck::OptionHelp& help : memcheck::MemcheckOptionHelp()) {
    std::string syntax = help.syntax;
    size_t eq = syntax.find('=');
    if (eq == std::string::npos) {  // a flag: "-q, --quiet", "-s"
      std::string flag = syntax.substr(0, syntax.find(','));
      syntax.erase(std::remove(syntax.begin(), syntax.end(), ' '), syntax.end());
      run_cmd
          .add_flag_callback(
              syntax, [&args, flag] { args.push_back(flag); }, help.description)
          ->group("Memcheck (with --memcheck)");
      continue;
    }
    std::string name = syntax.substr(0, eq);
    CLI::Option* option = run_cmd
                              .add_option_function<std::vector<std::string>>(
                                  name,
                                  [&args, name](const std::vector<std::string>& values) {
                                    if (values.empty())
                                      args.push_back(name + "=");  // "--fullpath-after="
                                    for (const std::string& v : values)
                                      args.push_back(name + "=" + v);
                                  },
                                  help.description)
                              ->type_name(syntax.substr(eq + 1))
                              ->allow_extra_args(false)
                              ->group("Memcheck (with --memcheck)");
    // An empty value means something here (the whole path): CLI11 would otherwise take the
    // next argument as the value of "--fullpath-after=".
    if (name == "--fullpath-after") {
      option->expected(0, 1)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    }
  }
}

int UsageError(const Error& e, std::ostream& err) {
  err << "wasmgrind: error: " << e.message << " (see --help)\n";
  return kExitError;
}

}  // namespace

int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"wasmgrind: a WebAssembly runtime that runs wasm as native x86-64 code",
               "wasmgrind"};
  app.require_subcommand(1);
  app.footer("Exit status: see `wasmgrind <command> --help`; 2 on a usage error.");

  RunOptions run;
  std::vector<std::string> run_positionals;
  CLI::App* run_cmd = app.add_subcommand(
      "run", "Run a WASI program (its _start), or call one export with --invoke");
  run_cmd
      ->add_option(
          "--invoke", run.invoke,
          "Call the exported function NAME with ARGS (parsed by its parameter types: i32/i64 "
          "decimal or 0x hex, f32/f64 decimal, inf, nan or nan:0xPAYLOAD) and print each "
          "result on its own line (a NaN as nan, or nan:0x... if not the canonical one). "
          "Without it, `_start` is called if exported, else the module is only instantiated.")
      ->type_name("NAME");
  run_cmd
      ->add_option("--dir", run.dirs,
                   "Give the program access to the host directory HOST, seen by it as GUEST "
                   "(default: the same path). Repeatable. Nothing outside a --dir is reachable.")
      ->type_name("HOST[::GUEST]")
      ->allow_extra_args(false);
  run_cmd
      ->add_option("--env", run.env,
                   "Set the environment variable NAME for the program (NAME alone passes the "
                   "host's value). Repeatable; overrides --inherit-env.")
      ->type_name("NAME[=VAL]")
      ->allow_extra_args(false);
  run_cmd->add_flag("--inherit-env", run.inherit_env,
                    "Pass the whole host environment to the program");
  run_cmd->add_flag(
      "--fault-report", run.fault_report,
      "On a trap, also print the full fault report: trap kind and signal, the faulting "
      "host instruction and its neighbours, the registers, the wasm instruction, the "
      "instance's memories and the backtrace with host PCs");
  run_cmd
      ->add_option(
          "--fault-report-json", run.fault_report_json,
          "On a trap, write the fault report as JSON to FILE (schema: docs/fault-report.md); "
          "nothing is written if the program does not trap")
      ->type_name("FILE");
  run_cmd->add_flag("!--no-libc-replacements", run.libc_replacements,
                    "Run the module's own memcpy, memmove, memset, memcmp, memchr, strlen, strcmp, "
                    "strncmp, strchr, strrchr, strcpy, stpcpy, strcat and strstr. By default "
                    "functions the name section gives these names (with the libc signature) run as "
                    "wasmgrind's native versions, which return the same results");
  run_cmd->add_flag("!--no-stack-check", run.stack_check,
                    "Do not check the C stack pointer (clang's __stack_pointer global) where it "
                    "moves. By default a C stack overflow traps with \"stack overflow\" when it "
                    "happens");
  run_cmd->add_flag("--verify-jit", run.verify_jit, kVerifyJitHelp);
  run_cmd
      ->add_option_function<std::string>(
          "--profile", [&run](const std::string& what) { run.perf_map = what == "perfmap"; },
          "perfmap: write /tmp/perf-PID.map, so that `perf record` and `perf report` name the "
          "wasm functions of JIT code")
      ->check(CLI::IsMember({"perfmap"}))
      ->type_name("WHAT");
  std::optional<std::string> run_max_wasm_stack;
  run_cmd->add_option("--max-wasm-stack", run_max_wasm_stack, kMaxWasmStackHelp)
      ->type_name("BYTES");
  run_cmd->add_flag("--memcheck", run.memcheck,
                    "Check every access to memory 0, the heap and the C stack, as Valgrind's "
                    "memcheck does for native code; Valgrind's options below apply");
  // Valgrind's memcheck options, under Valgrind's names: applied in order after parsing.
  std::vector<std::string> memcheck_args;
  AddMemcheckOptions(*run_cmd, memcheck_args);
  run_cmd
      ->add_option("PROG.wasm", run_positionals,
                   "The module, then the arguments for --invoke (ARGS...)")
      ->required()
      ->type_name("");
  run_cmd->footer(kRunFooter);
  // Everything after PROG.wasm belongs to the program, including negative numbers.
  run_cmd->positionals_at_end();

  WastOptions wast;
  std::string known_failures;
  CLI::App* wast_cmd = app.add_subcommand("wast", "Run WebAssembly spec test scripts (.wast)");
  wast_cmd
      ->add_option(
          "--known-failures", known_failures,
          "File listing the cases expected to fail, one `file.wast:LINE` per line (# comments). "
          "The run passes only if the failures of the given files are exactly those listed.")
      ->type_name("FILE");
  wast_cmd
      ->add_option("--split-compile", wast.split_compile,
                   "Testing: compile every module on N threads, its functions split across them "
                   "however small it is, so that calls and traps cross the compiled code blocks")
      ->type_name("N")
      ->check(CLI::Range(1, 64));
  wast_cmd->add_flag("--verify-jit", wast.verify_jit, kVerifyJitHelp);
  std::optional<std::string> wast_max_wasm_stack;
  wast_cmd->add_option("--max-wasm-stack", wast_max_wasm_stack, kMaxWasmStackHelp)
      ->type_name("BYTES");
  wast_cmd->add_flag("--large-function-path", wast.large_function_path,
                     "Testing: compile every function as a large one (compacted virtual registers, "
                     "locals in stack slots), which normally only functions past a size or locals "
                     "limit are");
  wast_cmd->add_option("FILE.wast", wast.files, "Spec test scripts to run, each in its own Store")
      ->required()
      ->type_name("");
  wast_cmd->footer(kWastFooter);

  DisasOptions disas;
  std::string disas_module;
  CLI::App* disas_cmd = app.add_subcommand(
      "disas",
      "Show each function's wasm instructions interleaved with the x86-64 code generated for them");
  disas_cmd
      ->add_option("--func", disas.func,
                   "Only this function: a function name, an export name or an index")
      ->type_name("NAME");
  disas_cmd->add_flag("!--no-stack-check", disas.stack_check,
                      "Show the code `run --no-stack-check` runs: no C stack pointer checks");
  disas_cmd->add_flag("--verify-jit", disas.verify_jit, kVerifyJitHelp);
  disas_cmd->add_flag("--memcheck", disas.memcheck,
                      "Show the code `run --memcheck` runs: shadow checks of every access and, "
                      "unless --undef-value-errors=no, the tracking of uninitialised values");
  disas_cmd
      ->add_option("--undef-value-errors", disas.undef_value_errors,
                   "With --memcheck: yes (default) or no, as for `run`")
      ->check(CLI::IsMember({"yes", "no"}));
  disas_cmd->add_option("PROG.wasm", disas_module, "The module")->required()->type_name("");
  disas_cmd->footer(
      "Exit status: 0; 2 on a usage or file error, an invalid module or an unknown --func.");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    err << "wasmgrind: error: " << e.what() << " (see --help)\n";
    return kExitError;
  }

  // Commands run on a thread of their own (command_thread.h), as do the compile threads.
  UseFixedDefaultThreadStack();
  if (*run_cmd) {
    run.module = run_positionals.front();
    run.args.assign(run_positionals.begin() + 1, run_positionals.end());
    if (run_max_wasm_stack) {
      auto bytes = ParseMaxWasmStack(*run_max_wasm_stack);
      if (!bytes.ok()) return UsageError(bytes.error(), err);
      run.max_wasm_stack = *bytes;
    }
    for (const std::string& arg : memcheck_args) {
      // Valgrind's way to ask for memcheck: --tool=memcheck turns it on (another tool is an
      // error, from ApplyMemcheckOption).
      if (arg.starts_with("--tool=")) {
        auto applied = memcheck::ApplyMemcheckOption(run.memcheck_options, arg);
        if (!applied) return UsageError(Error::Make(ErrorKind::Usage, applied.error()), err);
        run.memcheck = true;
      }
    }
    for (const std::string& arg : memcheck_args) {
      if (!run.memcheck) {
        return UsageError(
            Error::Make(ErrorKind::Usage, arg.substr(0, arg.find('=')) + " needs --memcheck"), err);
      }
      auto applied = memcheck::ApplyMemcheckOption(run.memcheck_options, arg);
      if (!applied) return UsageError(Error::Make(ErrorKind::Usage, applied.error()), err);
    }
    if (run.memcheck) {
      auto valid = memcheck::ValidateMemcheckOptions(run.memcheck_options);
      if (!valid) return UsageError(Error::Make(ErrorKind::Usage, valid.error()), err);
      run.tool_args.assign(argv, argv + argc);
    }
    return RunOnCommandThread(
        run.max_wasm_stack, [&] { return RunRunCommand(run, out, err); }, err);
  }
  if (*disas_cmd) {
    disas.module = disas_module;
    return RunOnCommandThread(
        kDefaultMaxWasmStack, [&] { return RunDisasCommand(disas, out, err); }, err);
  }
  if (!known_failures.empty()) wast.known_failures = known_failures;
  if (wast_max_wasm_stack) {
    auto bytes = ParseMaxWasmStack(*wast_max_wasm_stack);
    if (!bytes.ok()) return UsageError(bytes.error(), err);
    wast.max_wasm_stack = *bytes;
  }
  return RunOnCommandThread(
      wast.max_wasm_stack, [&] { return RunWastCommand(wast, out, err); }, err);
}

}  // namespace wasmgrind
