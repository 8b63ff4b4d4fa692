// TrapInfo: everything a fault report needs about one trap, as a value. The runtime fills it
// after the unwind (never in the signal handler: the handler only records raw facts, see
// signals/jump_target.h) and attaches it to the Error (Error::trap_info); tools format it.
//
// Invariants: backtrace[0] is the innermost frame (the trapping instruction); every frame with
// a module names a defined function of it and the byte offset of a wasm instruction in its
// binary. A frame without a module is JIT code the store does not know (a trampoline or host
// stub, or a module of another store) and carries only its PC. Frames keep their module alive,
// so a TrapInfo stays meaningful after the Store that produced it is gone.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vm/trap.h"

namespace wasmgrind {

class Module;
class Instance;

inline constexpr size_t kTrapRegisterCount = 18;
// rax rbx rcx rdx rsi rdi rbp rsp r8-r15 rip eflags: the order of TrapInfo::registers.
extern const char* const kTrapRegisterNames[kTrapRegisterCount];

struct TrapFrame {
  std::shared_ptr<const Module> module;  // null: not wasm code of a known module
  uint32_t func_index = 0;               // in the module's function index space (imports first)
  uint32_t module_offset = 0;            // byte offset of the wasm instruction in the module binary
  uintptr_t pc = 0;                      // the trapping PC (frame 0) or a return address
};

// One memory of the trapping instance.
struct TrapMemory {
  uint32_t index = 0;
  uintptr_t host_base = 0;
  uint64_t size = 0;      // current length in bytes
  uint64_t reserved = 0;  // the whole host reservation in bytes, guard included
  uint64_t guard = 0;     // the part of the reservation no growth can ever make accessible
  uint64_t max_size = 0;  // the memory's maximum in bytes
};

// An out-of-bounds access that faulted on a memory's guard pages.
struct MemoryFault {
  uint32_t memory_index = 0;
  uint64_t wasm_address = 0;  // can exceed 4 GiB (index + a large static offset)
  uint64_t memory_size = 0;   // at the time of the fault
  uint32_t access_size = 0;   // bytes of the load/store; 0 if unknown
  bool is_store = false;
  // wasm_address is the access's effective address (computed from the faulting instruction's
  // operands and the saved registers) rather than the first faulting byte the kernel reported.
  bool effective_address = false;
};

struct TrapInfo {
  TrapKind kind = TrapKind::None;
  // The trap explained for this program, beyond the spec's text (which Error::message keeps,
  // as spec tests match it): "call_indirect: table index 0x5a5a5a5a out of bounds (table size
  // 4)". Empty if there is nothing more to say.
  std::string detail;
  int signal = 0;               // SIGSEGV/SIGBUS for a hardware fault; 0 for an explicit trap
  uintptr_t pc = 0;             // faulting instruction, or the return address into JIT code
  uintptr_t fault_address = 0;  // host address of a fault
  bool has_registers = false;
  std::array<uint64_t, kTrapRegisterCount> registers{};
  const Instance* instance = nullptr;  // the trapping instance if known (valid with its Store)
  std::optional<MemoryFault> memory_fault;
  // CStackOverflow: the value the program set the C stack pointer to.
  std::optional<uint32_t> c_stack_pointer;
  std::vector<TrapMemory> memories;  // every memory of the trapping instance
  std::vector<TrapFrame> backtrace;
  // Deep recursion: frames_omitted frames between backtrace[omitted_at - 1] and
  // backtrace[omitted_at] were left out (the innermost and the outermost ones are kept).
  uint32_t frames_omitted = 0;
  size_t omitted_at = 0;
};

}  // namespace wasmgrind
