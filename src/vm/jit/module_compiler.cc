// CompileModule (see module_compiler.h). The defined functions are split into contiguous
// ranges compiled on parallel threads, each range by its own x86::Compiler into its own
// CodeHolder and code block (asmjit's register allocation is most of the compile time, and it
// parallelises perfectly this way). Offsets exist only after the code is placed, so functions
// record asmjit labels (FunctionRecord) that are turned into offsets here.
#include "vm/jit/module_compiler.h"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "vm/jit/abi.h"
#include "vm/jit/access_site_assembler.h"
#include "vm/jit/asmjit_shim.h"
#include "vm/jit/code_memory.h"
#include "vm/jit/empty_function.h"
#include "vm/jit/function_compiler.h"
#include "vm/jit/saved_register_check.h"

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

// Contiguous ranges of defined functions of about equal code size, one per compile thread:
// a thread per `bytes_per_thread` of code, at most `max_threads` (contiguous, because functions
// mostly call their neighbours, and calls within a range stay direct label calls). Returns
// each range's first function.
std::vector<uint32_t> PartitionFunctions(const ModuleInfo& module, uint32_t max_threads,
                                         uint64_t bytes_per_thread) {
  uint64_t total = 0;
  for (const FunctionBody& body : module.codes) total += body.body_end - body.body_offset;
  uint64_t chunks = std::clamp<uint64_t>(total / std::max<uint64_t>(bytes_per_thread, 1), 1,
                                         std::max(max_threads, 1u));
  chunks = std::min<uint64_t>(chunks, module.codes.size());
  std::vector<uint32_t> starts{0};
  uint64_t done = 0;
  for (uint32_t i = 1; i < module.codes.size() && starts.size() < chunks; ++i) {
    done += module.codes[i - 1].body_end - module.codes[i - 1].body_offset;
    // A new range once this one has its share, or when each function left needs a range.
    if (done * chunks >= total * starts.size() ||
        module.codes.size() - i <= chunks - starts.size()) {
      starts.push_back(i);
    }
  }
  return starts;
}

}  // namespace

class ModuleCompiler {
 public:
  static Result<std::unique_ptr<CompiledCode>> Compile(Engine& engine, const ModuleInfo& module,
                                                       std::span<const uint32_t> type_ids,
                                                       std::optional<CStackRegion> c_stack);

 private:
  // One compile thread's share: its functions [begin, end) in its own CodeHolder.
  struct Chunk {
    uint32_t begin = 0, end = 0;
    asmjit::CodeHolder code;
    std::vector<signals::AccessSite> access_sites;  // in code order (so sorted)
    jit::ErrorCapture errors;
    Result<void> result = Ok();
  };
  static void CompileChunk(Engine& engine, jit::ModuleEnv& env, Chunk& chunk);
  // Functions [begin, end) of the chunk in one x86::Compiler; false: chunk.result says why.
  static bool CompileBatch(jit::ModuleEnv& env, Chunk& chunk, uint32_t begin, uint32_t end);
  static void RecordFunctions(const jit::ModuleEnv& env, const Chunk& chunk, uint32_t block,
                              CompiledCode& compiled);
  // The chunk's tables for the signal handler, to register with its code block.
  static std::unique_ptr<CompiledCode::BlockSites> MakeBlockSites(const jit::ModuleEnv& env,
                                                                  Chunk& chunk);
};

void ModuleCompiler::CompileChunk(Engine& engine, jit::ModuleEnv& env, Chunk& chunk) {
  const ModuleInfo& module = env.module;
  chunk.code.init(engine.code_memory().environment());
  chunk.code.setErrorHandler(&chunk.errors);
  // Entry labels first, so that calls can target functions not yet compiled. They are the
  // CodeHolder's, like every label, so they outlive the Compilers below.
  for (uint32_t i = chunk.begin; i < chunk.end; ++i) {
    asmjit::LabelEntry* entry = nullptr;
    if (chunk.code.newLabelEntry(&entry) != asmjit::kErrorOk) {
      chunk.result = chunk.errors.ToError("labels");
      return;
    }
    env.functions[i].entry = asmjit::Label(entry->id());
  }
  // A fresh Compiler per batch of functions: its zone memory (the node lists and the register
  // allocator's state, about 100 bytes per byte of wasm) is then reused while it is hot in the
  // cache, instead of growing for the whole chunk until one finalize at the end.
  // But at most kMaxBatches per chunk: each new Compiler sizes its label table to the
  // CodeHolder's highest label id, so the batch count times the chunk's labels would grow like
  // the square of the chunk (a million empty functions).
  constexpr uint64_t kBatchBytes = uint64_t{16} * 1024;
  constexpr uint64_t kMaxBatches = 64;
  uint64_t chunk_bytes = 0;
  for (uint32_t i = chunk.begin; i < chunk.end; ++i) {
    chunk_bytes += module.codes[i].body_end - module.codes[i].body_offset;
  }
  const uint64_t batch_bytes = std::max(kBatchBytes, chunk_bytes / kMaxBatches);
  for (uint32_t begin = chunk.begin; begin < chunk.end;) {
    uint32_t end = begin;
    for (uint64_t batch = 0; end < chunk.end && batch < batch_bytes; ++end) {
      batch += module.codes[end].body_end - module.codes[end].body_offset;
    }
    if (!CompileBatch(env, chunk, begin, end)) return;
    begin = end;
  }
}

bool ModuleCompiler::CompileBatch(jit::ModuleEnv& env, Chunk& chunk, uint32_t begin, uint32_t end) {
  const ModuleInfo& module = env.module;
  // Callee-saved registers to save beyond those asmjit counts (saved_register_check.h).
  std::vector<uint32_t> extra_saved(end - begin, 0);
  // One more compile adds every register the check found; the limit only guards against an
  // allocator that chose differently each time.
  constexpr int kMaxCompiles = 4;
  for (int attempt = 0; attempt < kMaxCompiles; ++attempt) {
    jit::AsmjitCompiler cc(&chunk.code);
    jit::SavedRegisterCheckPass& saved_check = jit::SavedRegisterCheckPass::Of(cc);
    for (uint32_t i = begin; i < end; ++i) {
      jit::FunctionRecord& record = env.functions[i];
      asmjit::Label entry = record.entry;  // a compile again starts afresh
      record = jit::FunctionRecord{};
      record.entry = entry;
      if (jit::IsEmptyFunction(env, i)) {
        // Its code ends where the next function's entry is bound: one label less each (a
        // CodeHolder label is about 100 bytes, a third of what such a function costs).
        bool last = i + 1 == chunk.end;
        record.end = last ? cc.newLabel() : env.functions[i + 1].entry;
        jit::EmitEmptyFunction(cc, record, /*bind_end=*/last);
        continue;
      }
      asmjit::FuncSignatureBuilder sig;
      jit::BuildWasmSignature(module.func_type(module.num_imported_funcs + i), sig);
      record.node = cc.newFunc(sig);
      jit::UseWasmCallConv(record.node->detail());
      // The frame copied the preserved registers from the detail: copy them again.
      record.node->frame().init(record.node->detail());
      record.node->frame().addDirtyRegs(asmjit::RegGroup::kGp, extra_saved[i - begin]);
      record.end = cc.newLabel();
      jit::FunctionCompiler function(cc, env, i);
      chunk.result = function.Compile();
      if (!chunk.result.ok()) return false;
      if (chunk.errors.failed()) {
        chunk.result = chunk.errors.ToError(module.FunctionName(module.num_imported_funcs + i));
        return false;
      }
    }
    if (cc.runPasses() != asmjit::kErrorOk || chunk.errors.failed()) {
      chunk.result = chunk.errors.ToError("register allocation");
      return false;
    }
    if (saved_check.findings().empty()) {
      jit::SerializeRecordingSites(cc, chunk.access_sites);
      if (chunk.errors.failed()) {
        chunk.result = chunk.errors.ToError("register allocation");
        return false;
      }
      return true;
    }
    for (const auto& finding : saved_check.findings()) {
      for (uint32_t i = begin; i < end; ++i) {
        if (env.functions[i].node == finding.func) extra_saved[i - begin] |= finding.unsaved_gp;
      }
    }
  }
  chunk.result = Error::Make(ErrorKind::Internal,
                             "register allocation: a function uses callee-saved registers it "
                             "does not save, after " +
                                 std::to_string(kMaxCompiles) + " compiles");
  return false;
}

// Turns the chunk's labels into the functions' offsets in its block.
void ModuleCompiler::RecordFunctions(const jit::ModuleEnv& env, const Chunk& chunk, uint32_t block,
                                     CompiledCode& compiled) {
  auto offset_of = [&](const asmjit::Label& l) {
    return static_cast<uint32_t>(chunk.code.labelOffsetFromBase(l));
  };
  for (uint32_t i = chunk.begin; i < chunk.end; ++i) {
    const jit::FunctionRecord& record = env.functions[i];
    FunctionCodeInfo& info = compiled.functions_[i];
    info.block = block;
    info.code_offset = offset_of(record.entry);
    info.code_size = offset_of(record.end) - info.code_offset;
    info.native_replacement = record.native_replacement;
    info.virt_regs = record.virt_regs;
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
    std::sort(
        info.trap_sites.begin(), info.trap_sites.end(),
        [](const TrapSite& a, const TrapSite& b) { return a.native_offset < b.native_offset; });
  }
}

std::unique_ptr<CompiledCode::BlockSites> ModuleCompiler::MakeBlockSites(const jit::ModuleEnv& env,
                                                                         Chunk& chunk) {
  auto sites = std::make_unique<CompiledCode::BlockSites>();
  sites->access_sites = std::move(chunk.access_sites);
  const ModuleInfo& module = env.module;
  sites->functions.reserve(chunk.end - chunk.begin);
  for (uint32_t i = chunk.begin; i < chunk.end; ++i) {
    uint32_t func_index = module.num_imported_funcs + i;
    auto name = module.names.functions.find(func_index);  // stable: ModuleInfo outlives the code
    sites->functions.push_back(
        {static_cast<uint32_t>(chunk.code.labelOffsetFromBase(env.functions[i].entry)), func_index,
         name != module.names.functions.end() ? name->second.c_str() : nullptr});
  }
  sites->view = {sites->access_sites.data(), sites->access_sites.size(), sites->functions.data(),
                 sites->functions.size()};
  return sites;
}

Result<std::unique_ptr<CompiledCode>> ModuleCompiler::Compile(Engine& engine,
                                                              const ModuleInfo& module,
                                                              std::span<const uint32_t> type_ids,
                                                              std::optional<CStackRegion> c_stack) {
  TRY(CheckCpuFeatures());
  if (type_ids.size() != module.types.size()) {
    return Error::Make(ErrorKind::Usage, "CompileModule: one type id per module type expected");
  }
  auto compiled = std::make_unique<CompiledCode>();
  uint32_t num_defined = module.num_defined_funcs();
  if (num_defined == 0) return compiled;

  const EngineOptions& options = engine.options();
  jit::ModuleEnv env{.module = module,
                     .type_ids = type_ids,
                     .offsets = VMOffsets(module),
                     .map_every_instruction = options.map_every_instruction,
                     .replace_libc_functions = options.replace_libc_functions,
                     .verify_invariants = options.verify_jit_invariants,
                     .testing_unsafe_wrap = options.testing_unsafe_wrap,
                     .max_allocator_pressure = options.max_allocator_pressure,
                     .max_register_locals = options.max_register_locals};
  if (options.check_c_stack || options.memcheck) env.c_stack = c_stack;
  env.check_c_stack = options.check_c_stack;
  env.memcheck = options.memcheck;
  env.shadow_segment = options.memcheck_shadow_segment;
  env.track_values = options.memcheck && options.memcheck_values;
  env.track_origins = env.track_values && options.memcheck_origins;
  env.functions.resize(num_defined);
  uint32_t threads = engine.options().compile_threads;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<uint32_t> starts =
      PartitionFunctions(module, threads, engine.options().compile_bytes_per_thread);
  std::vector<Chunk> chunks(starts.size());
  env.chunk_of.resize(num_defined);
  for (size_t c = 0; c < chunks.size(); ++c) {
    chunks[c].begin = starts[c];
    chunks[c].end = c + 1 < starts.size() ? starts[c + 1] : num_defined;
    std::fill(env.chunk_of.begin() + chunks[c].begin, env.chunk_of.begin() + chunks[c].end, c);
  }
  // Each thread writes only its own chunk and its functions' FunctionRecords.
  {
    std::vector<std::jthread> workers;
    for (size_t c = 1; c < chunks.size(); ++c) {
      workers.emplace_back(
          [&engine, &env, &chunk = chunks[c]] { CompileChunk(engine, env, chunk); });
    }
    CompileChunk(engine, env, chunks[0]);
  }
  // The lowest failing function wins, as if compiled in order.
  for (Chunk& chunk : chunks) TRY(std::move(chunk.result));

  compiled->functions_.resize(num_defined);
  for (size_t c = 0; c < chunks.size(); ++c) {
    compiled->block_sites_.push_back(MakeBlockSites(env, chunks[c]));
    TRY_ASSIGN(CodeBlock block, engine.code_memory().Add(chunks[c].code, compiled.get(),
                                                         &compiled->block_sites_.back()->view));
    compiled->blocks_.push_back(std::move(block));
    compiled->first_function_.push_back(chunks[c].begin);
    RecordFunctions(env, chunks[c], static_cast<uint32_t>(c), *compiled);
  }
  return compiled;
}

Result<std::unique_ptr<CompiledCode>> CompileModule(Engine& engine, const ModuleInfo& module,
                                                    std::span<const uint32_t> type_ids) {
  return ModuleCompiler::Compile(engine, module, type_ids, FindCStack(module));
}

Result<std::unique_ptr<CompiledCode>> CompileModule(Engine& engine, const ModuleInfo& module,
                                                    std::span<const uint32_t> type_ids,
                                                    std::optional<CStackRegion> c_stack) {
  return ModuleCompiler::Compile(engine, module, type_ids, c_stack);
}

}  // namespace wasmgrind
