// `wasmgrind wast` (see wast_command.h). A file that cannot be run at all (wast2json rejects
// it) counts as one failure at line 0, so that it is caught by the known-failures check too.
#include "wast_command.h"

#include <set>

#include <fmt/format.h>

#include "exit_codes.h"
#include "known_failures.h"
#include "vm/jit/engine.h"
#include "wast2json.h"
#include "wast_runner.h"

namespace wasmgrind {

int RunWastCommand(const WastOptions& options, std::ostream& out, std::ostream& err) {
  KnownFailures known;
  if (options.known_failures) {
    auto loaded = KnownFailures::Load(*options.known_failures);
    if (!loaded.ok()) {
      err << "wasmgrind: error: " << loaded.error().message << "\n";
      return kExitError;
    }
    known = std::move(loaded).value();
  }
  for (const auto& file : options.files) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
      err << "wasmgrind: error: no such file: " << file.string() << "\n";
      return kExitError;
    }
  }
  std::optional<std::filesystem::path> tool = FindOnPath("wast2json");
  if (!tool) {
    err << "wasmgrind wast: wast2json not found (install wabt)\n";
    return kExitSkipped;
  }

  EngineOptions engine_options;
  engine_options.verify_jit_invariants = options.verify_jit;
  engine_options.max_wasm_stack = options.max_wasm_stack;
  if (options.split_compile > 0) {
    engine_options.compile_threads = options.split_compile;
    engine_options.compile_bytes_per_thread = 1;
  }
  if (options.large_function_path) {
    engine_options.max_allocator_pressure = 0;
    engine_options.max_register_locals = 0;
  }
  Engine engine(engine_options);
  std::set<std::string> file_names;
  std::set<std::string> failures;
  uint64_t passed = 0, failed = 0, skipped_text = 0;
  for (const auto& file : options.files) {
    std::string name = file.filename().string();
    file_names.insert(name);
    auto report = RunWastFile(engine, *tool, file, out);
    if (!report.ok()) {
      out << fmt::format("{}:0: script runs / {}\n", name, DescribeError(report.error()));
      failures.insert(FailureKey(name, 0));
      ++failed;
      continue;
    }
    for (const WastFailure& f : report->failures) {
      out << fmt::format("{}:{}: {}\n", name, f.line, f.message);
      failures.insert(FailureKey(name, f.line));
    }
    out << fmt::format("{}: {} passed, {} failed", name, report->passed, report->failed);
    if (report->skipped_text)
      out << fmt::format(", skipped (text format): {}", report->skipped_text);
    out << "\n";
    passed += report->passed;
    failed += report->failed;
    skipped_text += report->skipped_text;
  }

  // The closing line is always `N passed, N failed`: scripts and CI grep for it.
  int status = failed == 0 ? kExitOk : kExitFailures;
  std::string known_line;
  if (options.known_failures) {
    KnownFailuresVerdict verdict = CompareWithKnown(known, file_names, failures);
    for (const auto& key : verdict.new_failures) out << "new failure: " << key << "\n";
    for (const auto& key : verdict.unexpected_passes)
      out << "listed as known failure but passed: " << key << "\n";
    known_line = fmt::format(
        "failed cases: {}, of which known: {}, new: {}; listed but passed: {}\n", failures.size(),
        verdict.known, verdict.new_failures.size(), verdict.unexpected_passes.size());
    status = verdict.green() ? kExitOk : kExitFailures;
  }
  out << fmt::format("skipped (text format): {}\n", skipped_text) << known_line;
  out << fmt::format("{} passed, {} failed\n", passed, failed);
  out.flush();
  return status;
}

}  // namespace wasmgrind
