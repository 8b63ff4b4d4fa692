// SavedRegisterCheck: proves, after register allocation, that every function saves each
// callee-saved register its code uses.
//
// asmjit 1.9 (Debian's) does not always: when an instruction needs a fixed register (idiv's
// eax/edx, a call's arguments) its local allocator may move the value living there into a free
// callee-saved register without counting that register as clobbered (ralocal.cpp, allocInst
// step 3; later asmjit records it). The prologue then does not save it, and the callee returns
// with the caller's value destroyed: a miscompilation of the *caller*, found by the differential
// fuzzer (tests/fuzz/findings/003-unsaved-callee-saved.wat). The pass finds every such function;
// the module compiler compiles its batch again with the registers marked dirty up front (the
// frame's dirty set only adds pushes, it does not steer allocation).
#pragma once

#include <asmjit/x86.h>

#include <cstdint>
#include <vector>

namespace wasmgrind::jit {

class SavedRegisterCheckPass : public asmjit::Pass {
 public:
  struct Finding {
    asmjit::FuncNode* func;
    uint32_t unsaved_gp;  // callee-saved GP registers used but not saved (bit = register id)
  };

  // The Compiler's pass, added on first use; it must be added after the register allocator,
  // which x86::Compiler adds when it is created.
  static SavedRegisterCheckPass& Of(asmjit::x86::Compiler& cc);

  SavedRegisterCheckPass() : Pass(kName) {}
  asmjit::Error run(asmjit::Zone*, asmjit::Logger*) override;

  // The functions of the last run that need another compile; empty when the code is sound.
  const std::vector<Finding>& findings() const { return findings_; }

 private:
  static constexpr const char* kName = "wasmgrind-saved-register-check";
  std::vector<Finding> findings_;
};

// The GP registers an instruction names (operands and memory bases/indices), as a bit mask.
// After register allocation every register operand is physical.
uint32_t GpRegistersOf(const asmjit::InstNode& inst);

}  // namespace wasmgrind::jit
