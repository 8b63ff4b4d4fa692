// Calls: direct calls to defined functions (label calls, same vmctx), calls to imported
// functions and call_indirect through VMFuncRefs, and calls into the runtime. Arguments and
// results follow vmcontext.h's convention (abi.h builds both sides' signatures).
#include <algorithm>

#include "vm/jit/function_compiler.h"
#include "vm/libc_replacements.h"

namespace wasmgrind::jit {

bool FunctionCompiler::EmitCall(const Instr& instr) {
  switch (instr.op) {
    case Opcode::Call: {
      const FuncType& type = module_.func_type(instr.index);
      if (instr.index >= module_.num_imported_funcs) {
        uint32_t defined = instr.index - module_.num_imported_funcs;
        if (env_.chunk_of[defined] == env_.chunk_of[defined_index_]) {
          EmitWasmCall(type, env_.functions[defined].entry, vmctx_);
        } else {
          // Compiled by another thread into another block: its entry is known at instantiation.
          auto code = static_cast<int32_t>(env_.offsets.DefinedFuncRef(defined) +
                                           offsetof(VMFuncRef, code));
          EmitWasmCall(type, x86::qword_ptr(vmctx_, code), vmctx_);
        }
      } else {
        x86::Gp ref = VmctxField(env_.offsets.FuncRef(instr.index));
        x86::Gp callee_vmctx = cc_.newGpq();
        cc_.mov(callee_vmctx, x86::qword_ptr(ref, offsetof(VMFuncRef, vmctx)));
        EmitWasmCall(type, x86::qword_ptr(ref, offsetof(VMFuncRef, code)), callee_vmctx);
      }
      return true;
    }
    case Opcode::CallIndirect: {
      const FuncType& type = module_.types[instr.index];
      uint32_t expected_id = env_.type_ids[instr.index];
      x86::Gp index = ToGp(Pop()).r32();
      x86::Gp table = VmctxField(env_.offsets.Table(instr.index2));
      cc_.cmp(index, x86::dword_ptr(table, offsetof(VMTableDefinition, size)));
      cc_.jae(ElementTrapStub(TrapKind::UndefinedElement, index));
      x86::Gp elements = cc_.newGpq();
      cc_.mov(elements, x86::qword_ptr(table, offsetof(VMTableDefinition, elements)));
      // The i32 index's upper half is zero (function_compiler.h): scale its 64-bit view.
      VerifyUpperHalfZero(index);
      x86::Gp ref = cc_.newGpq();
      cc_.mov(ref, x86::qword_ptr(elements, index.r64(), 3));
      cc_.test(ref, ref);
      cc_.jz(ElementTrapStub(TrapKind::UninitializedElement, index));
      cc_.cmp(x86::dword_ptr(ref, offsetof(VMFuncRef, type_id)), asmjit::imm(expected_id));
      cc_.jne(ElementTrapStub(TrapKind::IndirectCallTypeMismatch, index));  // names both types
      // Both fields are loaded into registers here, so that `ref` dies before the call. Given
      // `call [ref]`, asmjit keeps `ref` live into the call and spills and reloads it and the
      // callee's vmctx around the argument moves.
      x86::Gp code = cc_.newGpq();
      cc_.mov(code, x86::qword_ptr(ref, offsetof(VMFuncRef, code)));
      x86::Gp callee_vmctx = cc_.newGpq();
      cc_.mov(callee_vmctx, x86::qword_ptr(ref, offsetof(VMFuncRef, vmctx)));
      EmitWasmCall(type, code, callee_vmctx);
      return true;
    }
    default: return false;
  }
}

void FunctionCompiler::EmitWasmCall(const FuncType& type, const asmjit::Operand& target,
                                    const x86::Gp& callee_vmctx) {
  CloseOpenLoops();  // see Frame::copies_closed
  makes_calls_ = true;
  asmjit::FuncSignatureBuilder sig;
  BuildWasmSignature(type, sig);
  size_t n = type.params.size();
  size_t first = stack_.size() - n;
  asmjit::InvokeNode* call = nullptr;
  // A call through another context (an import, call_indirect) may reach host code, which
  // writes no result V bits.
  const bool through_other_context = callee_vmctx.id() != vmctx_.id();
  if (env_.track_values) EmitCallVBitsBefore(type, callee_vmctx, through_other_context);
  const bool may_cross = env_.shadow_segment && through_other_context;
  if (may_cross) EmitSegmentSwitch(callee_vmctx, /*to_callee=*/true);

  if (AbiFor(type) == WasmAbi::Register) {
    std::vector<asmjit::Operand> args;
    for (size_t i = 0; i < n; ++i) {
      const JitValue& v = stack_[first + i];
      if (v.is_const() && !IsFloatType(v.type)) {
        args.push_back(asmjit::imm(v.bits));
      } else if (v.is_owned_reg()) {
        // A computed argument gets a fresh copy right before the call, which the allocator
        // places straight in the argument register; handed the value computed earlier, asmjit
        // tends to spill it and reload it into the argument register. (Copying locals too
        // only adds moves.)
        x86::Reg copy = NewValueReg(cc_, v.type);
        MoveValue(copy, v);
        args.push_back(copy);
      } else {
        args.push_back(ToReg(v));
      }
    }
    stack_.resize(first);
    cc_.invoke_(&call, target, sig);
    UseWasmCallConv(call->detail());
    call->setArg(0, callee_vmctx);
    for (size_t i = 0; i < n; ++i) {
      if (args[i].isImm()) {
        call->setArg(i + 1, args[i].as<asmjit::Imm>());
      } else {
        call->setArg(i + 1, args[i].as<x86::Reg>());
      }
    }
    if (!type.results.empty()) {
      x86::Reg result = NewValueReg(cc_, type.results[0]);
      call->setRet(0, result);
      PushTemp(type.results[0], result);
    }
    if (may_cross) EmitSegmentSwitch(callee_vmctx, /*to_callee=*/false);
    if (env_.track_values) EmitCallVBitsAfter(type, callee_vmctx);
    return;
  }

  // Buffer ABI: params and results pass through the function's VMVal scratch area.
  auto slots = static_cast<uint32_t>(std::max(n, type.results.size()));
  x86::Mem buffer = CallBuffer(slots);
  for (size_t i = 0; i < n; ++i) {
    StoreSlot(cc_, buffer.cloneAdjusted(static_cast<int64_t>(i * sizeof(VMVal))),
              ToReg(stack_[first + i]), type.params[i]);
  }
  stack_.resize(first);
  x86::Gp io = cc_.newGpq();
  cc_.lea(io, buffer);
  cc_.invoke_(&call, target, sig);
  UseWasmCallConv(call->detail());
  call->setArg(0, callee_vmctx);
  call->setArg(1, io);
  for (size_t i = 0; i < type.results.size(); ++i) {
    x86::Reg r = NewValueReg(cc_, type.results[i]);
    LoadSlot(cc_, r, type.results[i],
             buffer.cloneAdjusted(static_cast<int64_t>(i * sizeof(VMVal))));
    PushTemp(type.results[i], r);
  }
  if (may_cross) EmitSegmentSwitch(callee_vmctx, /*to_callee=*/false);
  if (env_.track_values) EmitCallVBitsAfter(type, callee_vmctx);
}

void FunctionCompiler::EmitSegmentSwitch(const x86::Gp& callee_vmctx, bool to_callee) {
  // A call into another instance runs with its shadow segment, and this code with its own
  // again after it (vm/shadow_segment.h). The same instance's calls pass by; a host function
  // has none (its context's is null) and leaves GS as it is, so the way back only writes when
  // GS's base differs.
  asmjit::Label other = cc_.newLabel(), done = cc_.newLabel();
  cc_.cmp(callee_vmctx, vmctx_);
  cc_.jne(other);
  cc_.bind(done);
  Defer([this, other, done, callee_vmctx, to_callee] {
    cc_.bind(other);
    const x86::Gp& owner = to_callee ? callee_vmctx : vmctx_;
    x86::Gp segment = cc_.newGpq("segment");
    cc_.mov(segment, x86::qword_ptr(owner, static_cast<int32_t>(VMOffsets::ShadowSegment())));
    cc_.test(segment, segment);
    cc_.jz(done);
    if (!to_callee) {
      x86::Gp current = cc_.newGpq("gsbase");
      cc_.rdgsbase(current);
      cc_.cmp(current, segment);
      cc_.je(done);
    }
    cc_.wrgsbase(segment);
    cc_.jmp(done);
  });
}

x86::Gp FunctionCompiler::EmitNativeCall(RuntimeCall fn, const asmjit::FuncSignature& sig,
                                         std::span<const JitValue> args) {
  makes_calls_ = true;
  const asmjit::TypeId ret = sig.ret();
  std::vector<asmjit::Operand> ops;
  for (const JitValue& v : args) {
    if (v.is_const()) {
      ops.push_back(asmjit::imm(v.bits));
    } else {
      ops.push_back(ToReg(v));
    }
  }
  asmjit::InvokeNode* call = nullptr;
  cc_.invoke(&call, RuntimeCallTarget(cc_, vmctx_, fn), sig);
  call->setArg(0, vmctx_);
  for (size_t i = 0; i < ops.size(); ++i) {
    if (ops[i].isImm()) {
      call->setArg(i + 1, ops[i].as<asmjit::Imm>());
    } else {
      call->setArg(i + 1, ops[i].as<x86::Reg>());
    }
  }
  x86::Gp result;
  if (ret != asmjit::TypeId::kVoid) {
    result = ret == asmjit::TypeId::kUInt32 ? cc_.newGpd() : cc_.newGpq();
    call->setRet(0, result);
    // The C ABI leaves a uint32_t result's upper half undefined; JIT code relies on it being
    // zero (function_compiler.h), for instance when the value becomes a memory index.
    if (ret == asmjit::TypeId::kUInt32) result = ZeroExtend32(result);
  }
  return result;
}

void FunctionCompiler::EmitLibcReplacementBody(uint32_t row) {
  // The PC map entry and trap site name this function.
  current_offset_ = module_.codes[defined_index_].body_offset;
  RecordPc();
  // wg_libc_<impl>(vmctx, i32 params...) -> uint64_t (libc_replacements.h).
  std::vector<JitValue> args;
  asmjit::FuncSignatureBuilder sig;
  sig.setRet(asmjit::TypeId::kUInt64);
  sig.addArg(asmjit::TypeId::kUIntPtr);
  for (uint32_t i = 0; i < func_type().params.size(); ++i) {
    args.push_back(JitValue::Temp(ValType::I32, locals_[i]));
    sig.addArg(asmjit::TypeId::kUInt32);
  }
  // Its result is defined (the checked version reports the undefined bytes it examines).
  if (env_.track_values) ZeroResultVBits(vmctx_, func_type());
  // Under --memcheck, the version that also checks the bytes the C function touches.
  x86::Gp result = EmitNativeCall(
      env_.memcheck ? MemcheckLibcReplacementCall(row) : LibcReplacementCall(row), sig, args);
  static_assert(kLibcOutOfBounds == uint64_t{1} << 32);
  cc_.bt(result, 32);
  cc_.jc(TrapStub(TrapKind::MemoryOutOfBounds));
  cc_.ret(ZeroExtend32(result));
  FinishFunction();
}

}  // namespace wasmgrind::jit
