// MemcheckSession (see memcheck_session.h).
#include "memcheck_session.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "fault_report.h"
#include "vm/trap_info.h"

namespace wasmgrind {

// memcheck's view of the tool's Symbolizer for one module.
class MemcheckSession::FrameNames : public memcheck::Symbolizer {
 public:
  FrameNames(wasmgrind::Symbolizer& symbols, const Module& module, std::string object,
             bool inline_frames)
      : symbols_(symbols),
        module_(module),
        object_(std::move(object)),
        inline_frames_(inline_frames) {}

  std::vector<memcheck::SymbolizedFrame> Symbolize(const memcheck::Frame& frame) const override {
    std::vector<SourceFrame> frames = symbols_.Frames(module_, frame.function_index, frame.offset);
    if (!inline_frames_ && frames.size() > 1) {
      // --read-inline-info=no: the function the code lies in, at the line the line table gives
      // the instruction (the innermost inlined call's), as Valgrind shows it then.
      frames.back().source = frames.front().source;
      frames.erase(frames.begin(), frames.end() - 1);
    }
    std::vector<memcheck::SymbolizedFrame> out;
    for (const SourceFrame& f : frames) {
      memcheck::SymbolizedFrame s;
      s.pc = frame.offset;
      s.function = f.function;
      s.linkage_name = f.linkage_name;
      s.object = object_;
      if (f.source) {
        std::string path = f.source->file;
        size_t slash = path.rfind('/');
        s.file = slash == std::string::npos ? path : path.substr(slash + 1);
        s.directory = slash == std::string::npos ? "" : path.substr(0, slash);
        s.line = f.source->line;
      }
      out.push_back(std::move(s));
    }
    return out;
  }

 private:
  wasmgrind::Symbolizer& symbols_;
  const Module& module_;
  std::string object_;
  bool inline_frames_;
};

MemcheckSession::MemcheckSession(memcheck::MemcheckOptions options, Symbolizer& symbols,
                                 std::vector<std::string> tool_args,
                                 std::vector<std::string> command)
    : options_(std::move(options)),
      symbols_(symbols),
      tool_args_(std::move(tool_args)),
      command_(std::move(command)) {}

MemcheckSession::~MemcheckSession() = default;

MemcheckFactory MemcheckSession::Factory() {
  return [this](const Module& module, const memcheck::MemoryLayout& layout)
             -> Result<std::unique_ptr<memcheck::MemoryChecker>> {
    names_.push_back(std::make_unique<FrameNames>(symbols_, module, symbols_.Label(module),
                                                  options_.read_inline_info));
    memcheck::RunInfo run{getpid(), getppid(), "wasmgrind 0.1", tool_args_, command_};
    auto checker = memcheck::MemoryChecker::Create(options_, layout, *names_.back(), run);
    if (!checker) return Error::Make(ErrorKind::Usage, checker.error());
    // --exit-on-first-error: the process ends there, as Valgrind's does (VG_(client_exit)),
    // with nothing more of the program run and no summary. The reports are written
    // unbuffered; the tool's own streams are flushed.
    checker.value()->set_exit([](int status) {
      std::fflush(nullptr);
      _exit(status);
    });
    return std::move(checker).value();
  };
}

void MemcheckSession::OnTrap(const Error& trap, const Instance& instance) {
  memcheck::MemoryChecker* checker = Store::MemcheckOf(instance);
  if (checker == nullptr || !trap.trap_info) return;
  memcheck::Backtrace frames;
  for (const TrapFrame& f : trap.trap_info->backtrace) {
    if (f.module.get() == &instance.module()) frames.push_back({f.func_index, f.module_offset});
  }
  if (trap.trap_info->c_stack_pointer) {
    checker->OnStackOverflow(*trap.trap_info->c_stack_pointer, [&] { return frames; });
    return;
  }
  if (trap.trap_info->memory_fault && trap.trap_info->memory_fault->memory_index == 0) {
    const MemoryFault& fault = *trap.trap_info->memory_fault;
    checker->CheckAccess(fault.is_store ? memcheck::AccessKind::Write : memcheck::AccessKind::Read,
                         fault.wasm_address, fault.access_size != 0 ? fault.access_size : 1,
                         [&] { return frames; });
  }
  if (auto signal = NativeSignalOf(*trap.trap_info, frames)) {
    checker->OnFatalSignal(*signal, [&] { return frames; });
  }
}

std::optional<memcheck::PrintedFatalSignal> MemcheckSession::NativeSignalOf(
    const TrapInfo& trap, const memcheck::Backtrace& frames) const {
  // Code addresses are module offsets, as the frames' (0: no frame of the module's).
  const uint64_t pc = frames.empty() ? 0 : frames[0].offset;
  constexpr int kSigill = 4, kSigabrt = 6, kSigfpe = 8, kSigsegv = 11;
  constexpr int kIllOpcode = 1, kFpeIntDiv = 1, kFpeFloatInvalid = 7, kSegvMapErr = 1;
  switch (trap.kind) {
    case TrapKind::MemoryOutOfBounds:
      return memcheck::NativeSignal(kSigsegv, kSegvMapErr,
                                    trap.memory_fault ? trap.memory_fault->wasm_address : 0);
    case TrapKind::Unreachable:
      // wasi-libc's abort() (and so a failed assert) is a trap where glibc's raises SIGABRT;
      // any other unreachable is __builtin_trap's ud2.
      if (TrapCalledAbort(trap, symbols_)) return memcheck::NativeSignal(kSigabrt, 0, 0);
      return memcheck::NativeSignal(kSigill, kIllOpcode, pc);
    // x86's idiv faults on INT_MIN / -1 as on a zero divisor.
    case TrapKind::IntegerDivideByZero:
    case TrapKind::IntegerOverflow: return memcheck::NativeSignal(kSigfpe, kFpeIntDiv, pc);
    // Natively the invalid operation that a conversion out of range raises is masked: this
    // is its name.
    case TrapKind::InvalidConversion: return memcheck::NativeSignal(kSigfpe, kFpeFloatInvalid, pc);
    // A call through a bad function pointer: natively a jump to unmapped memory (most often
    // a null pointer's).
    case TrapKind::TableOutOfBounds:
    case TrapKind::UndefinedElement:
    case TrapKind::UninitializedElement:
    case TrapKind::IndirectCallTypeMismatch:
      return memcheck::NativeSignal(kSigsegv, kSegvMapErr, 0);
    case TrapKind::CallStackExhausted: {
      memcheck::PrintedFatalSignal f = memcheck::NativeSignal(kSigsegv, kSegvMapErr, 0);
      f.reason = "Stack overflow in thread #1: the wasm call stack is exhausted";
      f.advice = {"Give wasm code a larger stack with wasmgrind run --max-wasm-stack=BYTES."};
      return f;
    }
    default: return std::nullopt;  // not a fault: exit, a host function's error
  }
}

void MemcheckSession::TrackFds(wasi::WasiContext& wasi, const Instance& instance) {
  if (options_.track_fds == memcheck::TrackFds::No) return;
  wasi_ = &wasi;
  wasi.set_open_site_hook([&instance] { return Store::MemcheckHostCallerSite(instance); });
}

namespace {

// The WASI descriptors open now, as memcheck lists them: the most recently made first, as
// Valgrind's list (a descriptor renumbered onto another keeps the other's place).
std::vector<memcheck::OpenFd> OpenFdsOf(const wasi::WasiContext& wasi) {
  auto entries = wasi.fds().Entries();
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.second->creation > b.second->creation; });
  std::vector<memcheck::OpenFd> fds;
  for (const auto& [fd, entry] : entries) {
    memcheck::OpenFd open;
    open.fd = fd;
    open.inherited = !entry->opened_by;
    if (entry->opened_by) {
      open.path = entry->opened_by->path;
      open.site = static_cast<memcheck::BacktraceId>(entry->opened_by->site);
    } else {
      open.path = entry->preopen_name.value_or("");  // stdio has none
    }
    fds.push_back(std::move(open));
  }
  return fds;
}

}  // namespace

int MemcheckSession::Finish(int program_status, const Instance* instance) {
  if (instance == nullptr) return program_status;
  memcheck::MemoryChecker* checker = Store::MemcheckOf(*instance);
  if (checker != nullptr && wasi_ != nullptr) checker->SetOpenFdsAtExit(OpenFdsOf(*wasi_));
  return Store::FinishMemcheck(*instance, program_status).value_or(program_status);
}

}  // namespace wasmgrind
