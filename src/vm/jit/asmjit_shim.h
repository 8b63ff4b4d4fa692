// What wasmgrind does about asmjit as Debian builds it. Debian ships one libasmjit.a: asmjit's
// debug build (no NDEBUG: assertions on) with logging compiled in. We keep using the package
// rather than a vendored copy, and undo two of its costs here, in one place:
//  - RAAssignment::verify, which re-checks the register allocator's whole assignment after
//    every instruction (a fifth of compile time), is replaced by a counting no-op
//    (asmjit_shim.cc, where the mangled name is checked against asmjit's ABI namespace);
//  - every new virtual register was named: "%N" by snprintf when it has no name, and a given
//    name run through vsnprintf as a format (about 5% of compile time). AsmjitCompiler's
//    register factories hand asmjit a fixed short name, which it only copies.
#pragma once

#include <asmjit/x86.h>

#include <cstdint>

namespace wasmgrind::jit {

// An x86::Compiler whose register factories skip asmjit's name formatting. They hide the
// base class's overloads of the same names (not virtual), so code that holds an
// AsmjitCompiler& gets them. Names only show in asmjit's logger.
// A new virtual register named `name`, which asmjit copies (a non-empty name is never
// formatted; an empty one would be numbered with snprintf).
template <typename Reg>
Reg NewNamedReg(asmjit::x86::Compiler& cc, asmjit::TypeId type, const char* name) {
  Reg reg;
  cc._newReg(&reg, type, name);
  return reg;
}

// An x86::Compiler whose register factories skip asmjit's name formatting. They hide the
// base class's overloads of the same names (not virtual), so code that holds an
// AsmjitCompiler& gets them. Names only show in asmjit's logger.
class AsmjitCompiler : public asmjit::x86::Compiler {
 public:
  // Out of line, in asmjit_shim.cc: whoever compiles code links that object, and with it
  // the replacement of RAAssignment::verify (a static library's object is linked only if
  // something refers to it).
  explicit AsmjitCompiler(asmjit::CodeHolder* code);

  asmjit::x86::Gp newGpd(const char* name = "i32") {
    return NewNamedReg<asmjit::x86::Gp>(*this, asmjit::TypeId::kUInt32, name);
  }
  asmjit::x86::Gp newGpq(const char* name = "i64") {
    return NewNamedReg<asmjit::x86::Gp>(*this, asmjit::TypeId::kUInt64, name);
  }
  asmjit::x86::Xmm newXmmSs(const char* name = "f32") {
    return NewNamedReg<asmjit::x86::Xmm>(*this, asmjit::TypeId::kFloat32x1, name);
  }
  asmjit::x86::Xmm newXmmSd(const char* name = "f64") {
    return NewNamedReg<asmjit::x86::Xmm>(*this, asmjit::TypeId::kFloat64x1, name);
  }
};

// How many times asmjit called RAAssignment::verify on this thread, which the replacement
// counts: a test proves with it that asmjit's allocator calls ours, not its own check.
uint64_t AsmjitVerifyCallsOnThisThread();

}  // namespace wasmgrind::jit
