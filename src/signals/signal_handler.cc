// ===========================================================================================
// SIGNAL HANDLER CODE. Everything reachable from HandleFault runs inside a SIGSEGV/SIGBUS
// handler, possibly on the alternate signal stack after a stack overflow. It must stay
// async-signal-safe: no allocation, no locks, no stdio, no C++ objects with destructors, no
// lazily initialized statics. It reads only constant-initialized or initial-exec thread_local
// state and the fault registry's published snapshot. Review every change with that in mind.
// ===========================================================================================
//
// Owns: installing the SIGSEGV/SIGBUS handlers (once per process, remembering the previous
// actions), the per-thread alternate signal stack, the per-thread jump target (the innermost
// wasm activation) and the per-thread stack bounds.
//
// A fault becomes a wasm trap only where wasm can cause one (as in V8 and Wasmtime): the kernel
// sent it (si_code > 0), this thread is inside a wasm activation, and either the PC is at a
// recorded memory-access instruction of JIT code (code_sites.h) and the address is inside a
// linear memory's reservation, or the address is in this thread's stack guard (call stack
// exhausted). Then we fill the activation's preallocated FaultRecord (signal, PC, address,
// registers, the linear memory hit, the JIT frames walked by frame pointer) and siglongjmp to
// it (the handler is installed with SA_NODEFER so the jump leaves no signal blocked). We never
// return into the faulting instruction.
// Any other fault in JIT code is wasmgrind's bug: we say so on stderr (function and offset) and
// die of the signal. A fault outside JIT code, or a signal sent by kill(), is not ours: we chain
// to the previous handler, or restore the default action and return so the fault re-executes
// and kills the process exactly as it would have without us.
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>

#include "signals/code_sites.h"

#include "signals/fault_registry.h"
#include "signals/frame_walker.h"
#include "signals/jump_target.h"
#include "signals/memory_registry.h"

namespace wasmgrind::signals {
namespace {

// Trivially initialized thread_locals with the initial-exec model: reading them from a signal
// handler touches no lazy TLS machinery.
__attribute__((tls_model("initial-exec"))) thread_local JumpTarget* t_jump_target = nullptr;
__attribute__((tls_model("initial-exec"))) thread_local uintptr_t t_stack_lo = 0;
__attribute__((tls_model("initial-exec"))) thread_local uintptr_t t_stack_hi = 0;

struct sigaction g_prev_segv;
struct sigaction g_prev_bus;

bool IsStackFault(uintptr_t address) {
  if (t_stack_lo == 0) return false;
  uintptr_t guard_lo = t_stack_lo > kStackGuardSpan ? t_stack_lo - kStackGuardSpan : 0;
  return address >= guard_lo && address < t_stack_lo + kHostStackReserve;
}

void RestoreDefaultAction(int sig) {
  struct sigaction dfl = {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(sig, &dfl, nullptr);
}

void ForwardToPrevious(int sig, siginfo_t* info, void* context) {
  const struct sigaction& prev = sig == SIGSEGV ? g_prev_segv : g_prev_bus;
  if ((prev.sa_flags & SA_SIGINFO) != 0) {
    if (prev.sa_sigaction != nullptr) {
      prev.sa_sigaction(sig, info, context);
      return;
    }
  } else if (prev.sa_handler != SIG_DFL && prev.sa_handler != SIG_IGN) {
    prev.sa_handler(sig);
    return;
  }
  // Default action (an ignored SIGSEGV would loop forever, so treat it as default too).
  RestoreDefaultAction(sig);
  // A fault re-executes on return and now kills the process; a signal sent by kill() does not
  // recur by itself, so send it again.
  if (info->si_code <= 0) raise(sig);
}

// A fixed buffer for one message, formatted without stdio or allocation.
class SignalSafeLine {
 public:
  SignalSafeLine& Str(const char* s) {
    while (*s != '\0' && size_ < sizeof(buf_)) buf_[size_++] = *s++;
    return *this;
  }
  SignalSafeLine& Hex(uint64_t v) {
    char digits[16];
    int n = 0;
    do {
      digits[n++] = "0123456789abcdef"[v & 0xf];
      v >>= 4;
    } while (v != 0);
    Str("0x");
    while (n > 0 && size_ < sizeof(buf_)) buf_[size_++] = digits[--n];
    return *this;
  }
  SignalSafeLine& Dec(uint64_t v) {
    char digits[20];
    int n = 0;
    do {
      digits[n++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    while (n > 0 && size_ < sizeof(buf_)) buf_[size_++] = digits[--n];
    return *this;
  }
  void Write() const {
    size_t done = 0;
    while (done < size_) {
      ssize_t n = write(STDERR_FILENO, buf_ + done, size_ - done);
      if (n <= 0) return;
      done += static_cast<size_t>(n);
    }
  }

 private:
  char buf_[512];
  size_t size_ = 0;
};

// "wasmgrind: internal error: fault in JIT code at <pc> (<function> +<offset>)".
void ReportInternalFault(int sig, uintptr_t pc, uintptr_t address, const CodeRange& code) {
  SignalSafeLine line;
  line.Str("wasmgrind: internal error: fault in JIT code at ").Hex(pc).Str(" (");
  const FunctionStart* function =
      code.sites != nullptr ? FindFunctionStart(*code.sites, static_cast<uint32_t>(pc - code.begin))
                            : nullptr;
  if (function == nullptr) {
    line.Str("JIT stub +").Hex(pc - code.begin);  // a trampoline or host stub
  } else {
    if (function->name != nullptr) {
      line.Str(function->name);
    } else {
      line.Str("func[").Dec(function->index).Str("]");
    }
    line.Str(" +").Hex(pc - code.begin - function->offset);
  }
  line.Str(")\n  ").Str(sig == SIGBUS ? "SIGBUS" : "SIGSEGV").Str(" at address ").Hex(address);
  line.Str(": not a wasm memory access or stack overflow; this is a bug in wasmgrind\n");
  line.Write();
}

void SaveRegisters(const ucontext_t* uc, FaultRecord& record) {
  static constexpr int kGreg[kNumSavedRegisters] = {
      REG_RAX, REG_RBX, REG_RCX, REG_RDX, REG_RSI, REG_RDI, REG_RBP, REG_RSP, REG_R8,
      REG_R9,  REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15, REG_RIP, REG_EFL};
  for (int i = 0; i < kNumSavedRegisters; ++i)
    record.registers[i] = static_cast<uint64_t>(uc->uc_mcontext.gregs[kGreg[i]]);
  record.has_registers = true;
}

void HandleFault(int sig, siginfo_t* info, void* context) {
  auto* uc = static_cast<ucontext_t*>(context);
  uintptr_t pc = static_cast<uintptr_t>(uc->uc_mcontext.gregs[REG_RIP]);
  CodeRange code;
  // Not in JIT code, or sent by kill()/raise()/sigqueue() (si_code <= 0: the PC says nothing).
  if (!FindCodeRange(pc, &code) || info->si_code <= 0) {
    ForwardToPrevious(sig, info, context);
    return;
  }
  uintptr_t address = reinterpret_cast<uintptr_t>(info->si_addr);
  JumpTarget* target = t_jump_target;
  bool stack = IsStackFault(address);
  MemoryRange memory;
  uint64_t length = 0;
  bool in_memory = FindMemoryRange(address, &memory, &length);
  bool at_access = code.sites != nullptr &&
                   FindAccessSite(*code.sites, static_cast<uint32_t>(pc - code.begin)) != nullptr;
  if (target != nullptr && (stack || (in_memory && at_access))) {
    target->reason = stack ? UnwindReason::StackOverflow : UnwindReason::MemoryFault;
    FaultRecord& record = target->record;
    record = FaultRecord{};
    record.signal = sig;
    record.pc = pc;
    record.fault_address = address;
    SaveRegisters(uc, record);
    if (in_memory) {
      record.memory_owner = memory.owner;
      record.memory_base = memory.begin;
      record.memory_size = length;
    }
    uintptr_t sp = record.registers[kRegRsp];
    uintptr_t ceiling = t_stack_hi != 0 ? t_stack_hi : sp + (64u << 20);
    record.num_frames = WalkJitFrames(pc, record.registers[kRegRbp], sp, ceiling, record.frames,
                                      kMaxBacktraceFrames, &record.frames_skipped);
    siglongjmp(target->buf, 1);
  }
  // JIT code faulted where wasm cannot fault: our bug. Say where, then die of the signal (the
  // faulting instruction re-executes under the default action).
  ReportInternalFault(sig, pc, address, code);
  RestoreDefaultAction(sig);
}

// --- Below this line: ordinary code, never called from the handler. ---------------------

void ComputeStackBounds() {
  if (t_stack_lo != 0) return;
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
  void* addr = nullptr;
  size_t size = 0;
  if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
    t_stack_lo = reinterpret_cast<uintptr_t>(addr);
    t_stack_hi = t_stack_lo + size;
  }
  pthread_attr_destroy(&attr);
}

// The calling thread's alternate signal stack, unmapped when the thread exits.
class AltStack {
 public:
  static constexpr size_t kSize = 128u << 10;

  void Ensure() {
    if (memory_ != nullptr) return;
    stack_t current;
    // Someone else (e.g. a sanitizer) already gave this thread an alternate stack: keep it.
    if (sigaltstack(nullptr, &current) == 0 && (current.ss_flags & SS_DISABLE) == 0) return;
    void* mem = mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) return;
    stack_t ss = {};
    ss.ss_sp = mem;
    ss.ss_size = kSize;
    if (sigaltstack(&ss, nullptr) != 0) {
      munmap(mem, kSize);
      return;
    }
    memory_ = mem;
  }

  ~AltStack() {
    if (memory_ == nullptr) return;
    stack_t ss = {};
    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, nullptr);
    munmap(memory_, kSize);
  }

 private:
  void* memory_ = nullptr;
};

thread_local AltStack t_alt_stack;

}  // namespace

JumpTarget* CurrentJumpTarget() { return t_jump_target; }
void SetCurrentJumpTarget(JumpTarget* target) { t_jump_target = target; }

StackBounds CurrentThreadStack() {
  ComputeStackBounds();
  return StackBounds{t_stack_lo, t_stack_hi};
}

void InstallHandlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa = {};
    sa.sa_sigaction = HandleFault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSEGV, &sa, &g_prev_segv) != 0 || sigaction(SIGBUS, &sa, &g_prev_bus) != 0)
      abort();  // without the handler every out-of-bounds access would kill the process
  });
}

void EnsureAltStack() {
  ComputeStackBounds();
  t_alt_stack.Ensure();
}

}  // namespace wasmgrind::signals
