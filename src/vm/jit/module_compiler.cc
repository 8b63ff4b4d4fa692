// CompileModule (see module_compiler.h). One x86::Compiler holds every function of the module;
// its FuncNodes are created up front so that calls can target functions not yet compiled.
// Offsets exist only after the code is placed, so functions record asmjit labels
// (FunctionRecord) that are turned into offsets here.
#include "module_compiler.h"

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "abi.h"
#include "code_memory.h"
#include "function_compiler.h"

// Debian's libasmjit.a is built without NDEBUG, so it is asmjit's debug build: after every
// instruction its register allocator re-verifies its whole assignment (RAAssignment::verify),
// a fifth of our compile time (perf on bench/'s generated module). verify() is an inline member
// that the archive carries as a weak symbol; this strong, empty definition replaces it at link
// time. It only checks asmjit's own invariants (it asserts, it computes nothing), and the spec
// suite and the csmith differential tests run with it replaced. If asmjit's ABI namespace
// changes, this simply stops matching and the check comes back. (Here, not in a file of its
// own: nothing would pull that object out of the static library.)
extern "C" void WgAsmjitSkipAssignmentVerify() __asm__("_ZN6asmjit8_abi_1_912RAAssignment6verifyEv");
extern "C" void WgAsmjitSkipAssignmentVerify() {}

namespace wasmgrind {

Result<void> CheckCpuFeatures() {
  const asmjit::CpuInfo& cpu = asmjit::CpuInfo::host();
  using F = asmjit::CpuFeatures::X86;
  struct Need {
    uint32_t feature;
    const char* name;
  };
  static constexpr Need kNeeds[] = {
      {F::kSSE4_1, "SSE4.1"}, {F::kPOPCNT, "POPCNT"}, {F::kLZCNT, "LZCNT"}, {F::kBMI, "BMI1"}};
  for (const Need& n : kNeeds) {
    if (!cpu.hasFeature(n.feature)) {
      return Error::Make(ErrorKind::Unsupported,
                         fmt::format("this CPU lacks {}, which wasmgrind's JIT requires", n.name));
    }
  }
  return Ok();
}

namespace {

// With WASMGRIND_PERF_MAP set, appends every function to /tmp/perf-PID.map, where `perf report`
// finds names for JIT code (profiling the JIT's output is how bench/results.md was worked out).
void WritePerfMap(const ModuleInfo& module, const CompiledCode& compiled) {
  if (std::getenv("WASMGRIND_PERF_MAP") == nullptr) return;
  std::string path = fmt::format("/tmp/perf-{}.map", getpid());
  FILE* f = std::fopen(path.c_str(), "a");
  if (f == nullptr) return;
  for (uint32_t i = 0; i < compiled.num_functions(); ++i) {
    const FunctionCodeInfo& info = compiled.function(i);
    fmt::print(f, "{:x} {:x} {}\n", reinterpret_cast<uintptr_t>(compiled.FunctionEntry(i)),
               info.code_size, module.FunctionName(module.num_imported_funcs + i));
  }
  std::fclose(f);
}

}  // namespace

class ModuleCompiler {
 public:
  static Result<std::unique_ptr<CompiledCode>> Compile(Engine& engine, const ModuleInfo& module,
                                                       std::span<const uint32_t> type_ids);
};

Result<std::unique_ptr<CompiledCode>> ModuleCompiler::Compile(Engine& engine,
                                                              const ModuleInfo& module,
                                                              std::span<const uint32_t> type_ids) {
  TRY(CheckCpuFeatures());
  if (type_ids.size() != module.types.size()) {
    return Error::Make(ErrorKind::Usage, "CompileModule: one type id per module type expected");
  }
  auto compiled = std::make_unique<CompiledCode>();
  uint32_t num_defined = module.num_defined_funcs();
  if (num_defined == 0) return compiled;

  asmjit::CodeHolder code;
  jit::ErrorCapture errors;
  code.init(engine.code_memory().environment());
  code.setErrorHandler(&errors);
  jit::x86::Compiler cc(&code);

  jit::ModuleEnv env{module, type_ids, VMOffsets(module), {}, engine.options().map_every_instruction,
                    engine.options().replace_libc_functions};
  env.functions.resize(num_defined);
  for (uint32_t i = 0; i < num_defined; ++i) {
    asmjit::FuncSignatureBuilder sig;
    jit::BuildWasmSignature(module.func_type(module.num_imported_funcs + i), sig);
    env.functions[i].node = cc.newFunc(sig);
    env.functions[i].end = cc.newLabel();
  }
  for (uint32_t i = 0; i < num_defined; ++i) {
    jit::FunctionCompiler function(cc, env, i);
    TRY(function.Compile());
    if (errors.failed()) {
      return errors.ToError(module.FunctionName(module.num_imported_funcs + i));
    }
  }
  cc.finalize();
  if (errors.failed()) return errors.ToError("register allocation");

  TRY_ASSIGN(compiled->block_, engine.code_memory().Add(code, compiled.get()));

  compiled->functions_.resize(num_defined);
  for (uint32_t i = 0; i < num_defined; ++i) {
    const jit::FunctionRecord& record = env.functions[i];
    FunctionCodeInfo& info = compiled->functions_[i];
    auto offset_of = [&](const asmjit::Label& l) {
      return static_cast<uint32_t>(code.labelOffsetFromBase(l));
    };
    info.code_offset = offset_of(record.node->label());
    info.code_size = offset_of(record.end) - info.code_offset;
    info.pc_map.reserve(record.pc_labels.size());
    for (const auto& pc : record.pc_labels) {
      PcMapEntry e{offset_of(pc.label), pc.wasm_offset};
      // Entries at the same offset: the later instruction's code starts there.
      if (!info.pc_map.empty() && info.pc_map.back().native_offset == e.native_offset) {
        info.pc_map.back() = e;
      } else {
        info.pc_map.push_back(e);
      }
    }
    for (const auto& trap : record.traps) {
      info.trap_sites.push_back({offset_of(trap.after_call), trap.kind, trap.wasm_offset});
    }
    std::sort(info.trap_sites.begin(), info.trap_sites.end(),
              [](const TrapSite& a, const TrapSite& b) { return a.native_offset < b.native_offset; });
  }
  WritePerfMap(module, *compiled);
  return compiled;
}

Result<std::unique_ptr<CompiledCode>> CompileModule(Engine& engine, const ModuleInfo& module,
                                                    std::span<const uint32_t> type_ids) {
  return ModuleCompiler::Compile(engine, module, type_ids);
}

}  // namespace wasmgrind
