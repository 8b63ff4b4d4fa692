// The C stack check at global.set of clang's stack pointer global (c_stack.h): the new value
// must lie in [bottom, top]. One unsigned compare covers both ways out: below the bottom (into
// the data, or wrapped past 0 to the top of the address space) and above the top. The bounds
// are the module's, immediates here. The trap stub passes the bad value on, for the report's
// depth; it is out of line and ends its block (EndNoReturnStub), so that it lengthens no live
// range but the pointer's own, which the store right after uses anyway.
#include "vm/jit/function_compiler.h"

namespace wasmgrind::jit {

void FunctionCompiler::EmitCStackCheck(const x86::Gp& sp) {
  const CStackRegion& stack = *env_.c_stack;
  if (stack.bottom == 0) {
    // -Wl,--stack-first: [0, top], and a wrap past 0 is above the top.
    cc_.cmp(sp.r32(), asmjit::imm(stack.top));
  } else {
    x86::Gp offset = cc_.newGpd();
    // Only the low 32 bits of the sum count: sp - bottom modulo 2^32, whatever sp's upper half.
    cc_.lea(offset, x86::ptr(sp.r64(), static_cast<int32_t>(0u - stack.bottom)));
    cc_.cmp(offset, asmjit::imm(stack.size()));
  }
  cc_.ja(ElementTrapStub(TrapKind::CStackOverflow, sp.r32()));
}

}  // namespace wasmgrind::jit
