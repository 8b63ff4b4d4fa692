// How wasm values and function types map onto native registers and the SysV calling
// convention described in vmcontext.h. Shared by the function compiler and the trampolines so
// that callers and callees agree by construction.
//
// Value classes: i32 lives in a 32-bit GP register (upper half zero), i64 and references in a
// 64-bit GP register, f32/f64 in the low lane of an XMM register.
#pragma once

#include <asmjit/x86.h>

#include <string>

#include "vm/result.h"
#include "vm/value_type.h"
#include "vm/vmcontext.h"

namespace wasmgrind::jit {

namespace x86 = asmjit::x86;

asmjit::TypeId NativeType(ValType t);

// Fills `sig` (not copyable: it points into itself) with the native signature of a wasm
// function of `type`: Register ABI (vmctx, params...) -> result, or Buffer ABI (vmctx, io).
void BuildWasmSignature(const FuncType& type, asmjit::FuncSignatureBuilder& sig);

// The wasm calling convention's callee-saved GP registers (vmcontext.h): r10-r15 (and rsp,
// rbp), where SysV has rbx, r12-r15. Arguments and results are assigned as in SysV.
//  - r10 and r11 are added: a caller keeps more values in registers across a call (sort's
//    comparator loop spilled every value live across the call_indirect).
//  - rbx is dropped: asmjit's allocator takes the lowest-numbered free register, so rax, rcx,
//    rdx and then rbx; as a callee-saved register rbx made small functions (comparators, fib)
//    push and pop it. Now the first eight values go to caller-saved registers.
// Chosen by measurement (bench/notes.md): fewer instructions on sort and recursion than SysV's
// set, than SysV plus r10/r11, and than r12-r15 or r11-r15 alone.
inline constexpr uint32_t kWasmPreservedGp = (1u << x86::Gp::kIdSp) | (1u << x86::Gp::kIdBp) |
                                             (1u << x86::Gp::kIdR10) | (1u << x86::Gp::kIdR11) |
                                             (1u << x86::Gp::kIdR12) | (1u << x86::Gp::kIdR13) |
                                             (1u << x86::Gp::kIdR14) | (1u << x86::Gp::kIdR15);

// Gives `detail` (a wasm function's, a host stub's, or an invoke of wasm code) the wasm
// convention. Calls to C (runtime calls, wg_rt_CallHost) stay SysV; asmjit counts the registers
// an invoke clobbers as dirty, so a function making such a call saves r10/r11 in its prologue,
// and an entry trampoline (SysV) saves rbx around its call into wasm.
void UseWasmCallConv(asmjit::FuncDetail& detail);
// For a call that never returns (the trap stubs' wg_rt_Trap*), or to a memcheck thunk that
// saves every register it uses (memcheck_calls.h): it clobbers nothing that matters, so it must
// neither spill live values nor make the prologue save registers.
void UseNoReturnCallConv(asmjit::FuncDetail& detail);

// The operand of a call to `fn` through the runtime-call table (vm/runtime_calls.h) of
// `vmctx`, which every context JIT code is given starts with: loads the table into a fresh
// register, so the call is `call [table + RuntimeCallOffset(fn)]`.
x86::Mem RuntimeCallTarget(x86::Compiler& cc, const x86::Gp& vmctx, RuntimeCall fn);

// A fresh virtual register of the class that holds values of type `t`.
x86::Reg NewValueReg(x86::Compiler& cc, ValType t);

// One value to or from a VMVal slot. Integers are written zero-extended to 8 bytes so that
// the low 8 bytes of a slot are always fully defined.
void LoadSlot(x86::Compiler& cc, const x86::Reg& dst, ValType t, const x86::Mem& slot);
void StoreSlot(x86::Compiler& cc, const x86::Mem& slot, const x86::Reg& src, ValType t);

// Captures the first asmjit error so that code generation failures become Error values.
class ErrorCapture : public asmjit::ErrorHandler {
 public:
  void handleError(asmjit::Error err, const char* message, asmjit::BaseEmitter*) override {
    if (error_ == asmjit::kErrorOk) {
      error_ = err;
      message_ = message;
    }
  }
  bool failed() const { return error_ != asmjit::kErrorOk; }
  Error ToError(std::string_view what) const;

 private:
  asmjit::Error error_ = asmjit::kErrorOk;
  std::string message_;
};

}  // namespace wasmgrind::jit
