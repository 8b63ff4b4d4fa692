// Entry trampolines and host stubs (see trampoline_compiler.h). Both are tiny asmjit::Compiler
// functions built from the same signature helper (abi.h) as wasm functions themselves.
#include "vm/jit/trampoline_compiler.h"

#include <algorithm>

#include "vm/jit/abi.h"
#include "vm/jit/asmjit_shim.h"
#include "vm/jit/saved_register_check.h"
#include "vm/jit/stack_check.h"
#include "vm/runtime_calls.h"

namespace wasmgrind::jit {
namespace {

x86::Mem Slot(const x86::Gp& base, size_t i) {
  return x86::ptr(base, static_cast<int32_t>(i * sizeof(VMVal)));
}

uint32_t BufferSlots(const FuncType& type) {
  return static_cast<uint32_t>(std::max<size_t>({type.params.size(), type.results.size(), 1}));
}

// Copies the low 8 bytes of `count` slots (all a non-SIMD value occupies).
void CopySlots(x86::Compiler& cc, const x86::Mem& dst_base, const x86::Gp& src, size_t count,
               bool to_stack) {
  for (size_t i = 0; i < count; ++i) {
    x86::Gp tmp = cc.newGpq();
    x86::Mem stack_slot = dst_base.cloneAdjusted(static_cast<int64_t>(i * sizeof(VMVal)));
    stack_slot.setSize(8);
    x86::Mem ptr_slot = x86::qword_ptr(src, static_cast<int32_t>(i * sizeof(VMVal)));
    if (to_stack) {
      cc.mov(tmp, ptr_slot);
      cc.mov(stack_slot, tmp);
    } else {
      cc.mov(tmp, stack_slot);
      cc.mov(ptr_slot, tmp);
    }
  }
}

Result<CodeBlock> Finish(CodeMemory& memory, asmjit::CodeHolder& code, x86::Compiler& cc,
                         ErrorCapture& errors, std::string_view what) {
  // Trampolines are straight-line code with few values: asmjit's unsaved-register bug
  // (saved_register_check.h) has not been seen in them; if it ever is, fail loudly.
  SavedRegisterCheckPass& saved_check = SavedRegisterCheckPass::Of(cc);
  cc.finalize();
  if (errors.failed()) return errors.ToError(what);
  if (!saved_check.findings().empty()) {
    return Error::Make(ErrorKind::Internal,
                       std::string(what) + ": uses a callee-saved register it does not save");
  }
  return memory.Add(code, CodeMemory::kTrampolineOwner);
}

}  // namespace

Result<CodeBlock> CompileEntryTrampoline(CodeMemory& memory, const FuncType& type) {
  asmjit::CodeHolder code;
  ErrorCapture errors;
  code.init(memory.environment());
  code.setErrorHandler(&errors);
  AsmjitCompiler cc(&code);

  // The stack check comes before the frame (which holds the callee's VMVal buffer under the
  // Buffer ABI: any size): stack_limit is the fourth SysV argument, rcx.
  StackCheck check = EmitStackCheck(cc, x86::rcx);
  asmjit::FuncNode* func =
      cc.addFunc(asmjit::FuncSignatureT<void, uintptr_t, uintptr_t, uintptr_t, uintptr_t>());
  func->frame().setPreservedFP();  // the root of the JIT frame chain (frame_walker.h)
  x86::Gp vmctx = cc.newGpq("vmctx");
  x86::Gp target = cc.newGpq("code");
  x86::Gp io = cc.newGpq("io");
  func->setArg(0, vmctx);
  func->setArg(1, target);
  func->setArg(2, io);

  // Host values are defined: the callee, if it tracks V bits (--memcheck), reads its params'
  // from the header (vmcontext.h), which the last call may have left otherwise.
  for (uint32_t i = 0; i < type.params.size() && i < kMaxParamVBits; ++i) {
    cc.mov(x86::qword_ptr(vmctx, static_cast<int32_t>(VMOffsets::ParamVBits(i))), asmjit::imm(0));
  }

  asmjit::FuncSignatureBuilder sig;
  BuildWasmSignature(type, sig);
  asmjit::InvokeNode* call = nullptr;
  if (AbiFor(type) == WasmAbi::Register) {
    std::vector<x86::Reg> args;
    for (size_t i = 0; i < type.params.size(); ++i) {
      args.push_back(NewValueReg(cc, type.params[i]));
      LoadSlot(cc, args.back(), type.params[i], Slot(io, i));
    }
    cc.invoke(&call, target, sig);
    UseWasmCallConv(call->detail());
    call->setArg(0, vmctx);
    for (size_t i = 0; i < args.size(); ++i) call->setArg(i + 1, args[i]);
    if (!type.results.empty()) {
      x86::Reg result = NewValueReg(cc, type.results[0]);
      call->setRet(0, result);
      StoreSlot(cc, Slot(io, 0), result, type.results[0]);
    }
  } else {
    // The callee may use max(params, results) slots; the caller's array need not be that big.
    x86::Mem buffer = cc.newStack(BufferSlots(type) * sizeof(VMVal), 16, "io");
    CopySlots(cc, buffer, io, type.params.size(), /*to_stack=*/true);
    x86::Gp buffer_ptr = cc.newGpq();
    cc.lea(buffer_ptr, buffer);
    cc.invoke(&call, target, sig);
    UseWasmCallConv(call->detail());
    call->setArg(0, vmctx);
    call->setArg(1, buffer_ptr);
    CopySlots(cc, buffer, io, type.results.size(), /*to_stack=*/false);
  }
  cc.ret();
  cc.endFunc();
  FinishStackCheck(cc, func, check);
  return Finish(memory, code, cc, errors, "entry trampoline");
}

Result<CodeBlock> CompileHostStub(CodeMemory& memory, const FuncType& type) {
  asmjit::CodeHolder code;
  ErrorCapture errors;
  code.init(memory.environment());
  code.setErrorHandler(&errors);
  AsmjitCompiler cc(&code);

  asmjit::FuncSignatureBuilder sig;
  BuildWasmSignature(type, sig);
  asmjit::FuncNode* func = cc.newFunc(sig);
  // Called from wasm: it preserves what wasm callers expect, including what wg_rt_CallHost
  // (SysV) clobbers.
  UseWasmCallConv(func->detail());
  func->frame().init(func->detail());
  cc.addFunc(func);
  func->frame().setPreservedFP();  // links host-function frames into the JIT frame chain
  x86::Gp vmctx = cc.newGpq("host_ctx");
  func->setArg(0, vmctx);
  asmjit::FuncSignatureT<void, uintptr_t, uintptr_t> host_sig;
  asmjit::InvokeNode* call = nullptr;

  if (AbiFor(type) == WasmAbi::Buffer) {
    // The caller already provides max(params, results) slots: forward them.
    x86::Gp io = cc.newGpq("io");
    func->setArg(1, io);
    cc.invoke(&call, RuntimeCallTarget(cc, vmctx, RuntimeCall::CallHost), host_sig);
    call->setArg(0, vmctx);
    call->setArg(1, io);
    cc.ret();
  } else {
    x86::Mem buffer = cc.newStack(BufferSlots(type) * sizeof(VMVal), 16, "values");
    for (size_t i = 0; i < type.params.size(); ++i) {
      x86::Reg param = NewValueReg(cc, type.params[i]);
      func->setArg(i + 1, param);
      StoreSlot(cc, buffer.cloneAdjusted(static_cast<int64_t>(i * sizeof(VMVal))), param,
                type.params[i]);
    }
    x86::Gp values = cc.newGpq();
    cc.lea(values, buffer);
    cc.invoke(&call, RuntimeCallTarget(cc, vmctx, RuntimeCall::CallHost), host_sig);
    call->setArg(0, vmctx);
    call->setArg(1, values);
    if (type.results.empty()) {
      cc.ret();
    } else {
      x86::Reg result = NewValueReg(cc, type.results[0]);
      LoadSlot(cc, result, type.results[0], buffer);
      cc.ret(result);
    }
  }
  cc.endFunc();
  return Finish(memory, code, cc, errors, "host stub");
}

}  // namespace wasmgrind::jit
