// --memcheck code generation (memcheck_calls.h): the inline shadow check of every load and
// store of memory 0, the report of each C stack pointer move, and the replaced allocation
// and client-request functions.
//
// The check is `cmp size ptr [shadow + index + offset], 0; jne slow`: the same operand as the
// access with the shadow base for the memory base, so it costs no address arithmetic. The
// shadow reservation mirrors the memory's (memcheck/shadow_memory.h): past the memory's end it
// is PROT_NONE, so an out-of-bounds access faults at its check, which is recorded as an access
// site of the same wasm instruction and becomes the same trap. The slow path (out of line)
// passes the wasm address and a packed description of the access to the checker, which decides
// (a shadow byte may be non-zero yet fine: part 2's undefined-but-addressable bytes) and
// reports; the access then goes ahead, as under Valgrind.
#include "vm/jit/access_site_assembler.h"
#include "vm/jit/function_compiler.h"

namespace wasmgrind::jit {

x86::Gp FunctionCompiler::ShadowBase() {
  if (!shadow_base_loaded_) {
    shadow_base_ = cc_.newGpq("shadow");
    EmitInPrologue([&] {
      cc_.mov(shadow_base_, x86::qword_ptr(vmctx_, static_cast<int32_t>(VMOffsets::ShadowBase())));
    });
    shadow_base_loaded_ = true;
  }
  return shadow_base_;
}

asmjit::InvokeNode* FunctionCompiler::InvokeThunk(RuntimeCall thunk,
                                                  const asmjit::FuncSignature& signature) {
  // A thunk returns, but like a no-return call it clobbers nothing: it saves what it uses.
  return InvokeNoReturn(thunk, signature);
}

void FunctionCompiler::EmitShadowCheck(const x86::Mem& address, uint32_t size, bool is_store) {
  x86::Mem shadow = address;
  shadow.setBase(ShadowBase());
  shadow.setSize(size);
  switch (size) {
    case 1:
    case 2:
    case 4:
    case 8: cc_.cmp(shadow, asmjit::imm(0)); break;
    default: return;  // v128 is not compiled yet
  }
  MarkAccess(cc_, cc_.cursor(),
             AccessMark{.wasm_offset = current_offset_,
                        .memory = 0,
                        .size = static_cast<uint8_t>(size),
                        .is_store = is_store});
  asmjit::Label slow = cc_.newLabel();
  asmjit::Label resume = cc_.newLabel();
  cc_.jne(slow);
  cc_.bind(resume);
  const uint64_t info = McAccessInfo(current_offset_, size, is_store);
  // The wasm address: the operand's index (zero-extended i32) plus its displacement.
  const bool has_index = address.hasIndex();
  const x86::Gp index = has_index ? x86::Gp(x86::gpq(address.indexId())) : x86::Gp();
  const int64_t disp = address.offset();
  Defer([this, slow, resume, info, has_index, index, disp] {
    cc_.bind(slow);
    x86::Gp wasm_address = cc_.newGpq("mcaddr");
    if (has_index) {
      cc_.lea(wasm_address, x86::ptr(index, static_cast<int32_t>(disp)));
    } else {
      cc_.mov(wasm_address, asmjit::imm(disp));
    }
    asmjit::InvokeNode* call = InvokeThunk(
        RuntimeCall::McAccessThunk, asmjit::FuncSignatureT<void, uintptr_t, uint64_t, uint64_t>());
    call->setArg(1, wasm_address);
    call->setArg(2, asmjit::imm(info));
    cc_.jmp(resume);
  });
}

void FunctionCompiler::EmitStackPointerMoved(const JitValue& sp) {
  asmjit::InvokeNode* call =
      InvokeThunk(RuntimeCall::McStackPointerThunk,
                  asmjit::FuncSignatureT<void, uintptr_t, uint64_t, uint64_t>());
  if (sp.is_const()) {
    call->setArg(1, asmjit::imm(static_cast<uint32_t>(sp.bits)));
  } else {
    call->setArg(1, ToGp(sp).r64());
  }
  call->setArg(2, asmjit::imm(0));
}

void FunctionCompiler::EmitMcAllocatorBody(const McAllocator& allocator) {
  // The PC map entry and trap site name this function (the report's "at malloc" frame).
  current_offset_ = module_.codes[defined_index_].body_offset;
  RecordPc();
  auto param = [&](uint32_t i) {
    return i < allocator.num_params ? JitValue::Temp(ValType::I32, locals_[i])
                                    : JitValue::Const(ValType::I32, 0);
  };
  x86::Gp result = EmitRuntimeCall<RuntimeCall::McAllocator>(
      {JitValue::Const(ValType::I32, static_cast<uint32_t>(allocator.kind)), param(0), param(1),
       param(2)});
  if (allocator.has_result) {
    cc_.ret(result);
  } else {
    cc_.ret();
  }
  FinishFunction();
}

void FunctionCompiler::EmitMcClientRequestBody(McClientRequest request) {
  current_offset_ = module_.codes[defined_index_].body_offset;
  RecordPc();
  auto param = [&](uint32_t i) { return JitValue::Temp(ValType::I32, locals_[i]); };
  x86::Gp result = EmitRuntimeCall<RuntimeCall::McClientRequest>(
      {JitValue::Const(ValType::I32, static_cast<uint32_t>(request)), param(0), param(1), param(2),
       param(3)});
  cc_.ret(result);
  FinishFunction();
}

}  // namespace wasmgrind::jit
