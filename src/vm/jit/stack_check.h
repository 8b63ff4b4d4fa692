// Stack checks: a wasm function that calls, and every entry trampoline, traps "call stack
// exhausted" *before* its prologue allocates or writes its frame when that frame would take rsp
// below the stack limit (docs/ARCHITECTURE.md, "Traps"). The emitted code:
//
//   entry:     lea rax, [rsp - FRAME]      ; FRAME: what the prologue will take, exactly
//              cmp rax, LIMIT              ; [rdi + VMOffsets::StackLimit()], or a register
//              jb  exhausted
//              <asmjit's prologue: push rbp; mov rbp, rsp; push ...; sub rsp, ...>
//              ...
//   exhausted: push rbp                    ; after the function's end (out of line)
//              mov rbp, rsp                ; a frame for the backtrace walk, and rsp aligned
//              mov esi, CallStackExhausted
//              mov rax, [rdi]              ; rdi still holds the vmctx: its runtime-call table
//              call [rax + Trap's offset]  ; wg_rt_Trap
//
// The check sits between the entry label and the asmjit FuncNode, and the stub after the
// function's end, so the register allocator neither sees nor moves them: they use physical
// registers that hold nothing at entry in both conventions (rax; rdi is the vmctx), and the
// stub pushes one word where the caller's check left the host's reserve. FRAME is known only
// after register allocation: StackCheckPass, an asmjit pass that runs after it, writes each
// function's final frame size into its `lea`.
#pragma once

#include <asmjit/x86.h>

#include <cstdint>

namespace wasmgrind::jit {

namespace x86 = asmjit::x86;

struct StackCheck {
  asmjit::InstNode* lea = nullptr;
  asmjit::InstNode* cmp = nullptr;
  asmjit::InstNode* jump = nullptr;
  asmjit::Label exhausted;
};

// Frames of functions without a check (leaves) must fit in this much of the host's reserve
// (signals::kHostStackReserve); StackCheckPass fails the compilation if one does not.
inline constexpr uint32_t kUncheckedFrameMax = 8u << 10;

// Emits the check at the cursor, which must be right before the FuncNode is added. `limit` is
// the stack limit operand (a memory operand based on rdi, or a register that holds it at entry).
StackCheck EmitStackCheck(x86::Compiler& cc, const asmjit::Operand& limit);

// For a function that keeps its check (call after endFunc, before `func`'s Compiler
// finalizes): emits the trap stub at the cursor and has the check patched with `func`'s frame
// size. Returns the label right after the stub's call (its trap site).
asmjit::Label FinishStackCheck(x86::Compiler& cc, asmjit::FuncNode* func, const StackCheck& check);

// For a function that drops its check: removes it, and has `func`'s final frame verified to be
// at most kUncheckedFrameMax.
void DropStackCheck(x86::Compiler& cc, asmjit::FuncNode* func, const StackCheck& check);

// Bytes a function's prologue takes below its entry rsp (valid after register allocation).
uint32_t FrameBytes(const asmjit::FuncFrame& frame);

}  // namespace wasmgrind::jit
