// `run --profile=perfmap` (see perf_map.h).
#include "perf_map.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "vm/jit/compiled_code.h"

namespace wasmgrind {

std::filesystem::path PerfMapPath() {
  return fmt::format("/tmp/perf-{}.map", static_cast<long>(getpid()));
}

Result<void> WritePerfMap(const Module& module, Symbolizer& symbols) {
  const std::filesystem::path path = PerfMapPath();
  // Appended: a process that compiles several modules lists them all.
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "a"), &std::fclose);
  if (!file) {
    return Error::Make(ErrorKind::Io,
                       fmt::format("--profile=perfmap: cannot write {}", path.string()));
  }
  const ModuleInfo& info = module.info();
  const CompiledCode& code = module.code();
  for (uint32_t defined = 0; defined < code.num_functions(); ++defined) {
    const FunctionCodeInfo& f = code.function(defined);
    const auto start = reinterpret_cast<uintptr_t>(code.FunctionEntry(defined));
    // perf splits the line at the first two spaces: a name may contain more (C++ signatures).
    fmt::print(file.get(), "{:x} {:x} {}\n", start, f.code_size,
               symbols.FunctionName(module, info.num_imported_funcs + defined));
  }
  if (std::fflush(file.get()) != 0) {
    return Error::Make(ErrorKind::Io,
                       fmt::format("--profile=perfmap: cannot write {}", path.string()));
  }
  return Ok();
}

}  // namespace wasmgrind
